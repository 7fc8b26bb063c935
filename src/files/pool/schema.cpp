#include "files/pool/schema.hpp"

#include "files/pool/objects_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <numeric>

namespace quarry::pool {

std::uint64_t ItemShape::elements() const {
  return std::accumulate(dims.begin(), dims.end(), std::uint64_t{1}, std::multiplies<>());
}

std::uint64_t ItemShape::bytes() const {
  return elements() * (kind == Kind::images ? 1 : sizeof(float));
}

std::string ItemShape::describe() const {
  return fmt::format("{} {}", fmt::join(dims, "x"), kind == Kind::images ? "uint8" : "float32");
}

ItemShape parse_image_shape(const std::string& text) {
  ItemShape shape{Kind::images, {}};
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find('x', start), text.size());
    std::string part = text.substr(start, end - start);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos ||
        part.size() > 6 || std::stoull(part) == 0)
      throw UsageError("--shape '" + text + "' is not CxHxW with positive sizes (e.g. 1x28x28)");
    shape.dims.push_back(std::stoull(part));
    start = end + 1;
  }
  if (shape.dims.size() != 3)
    throw UsageError("--shape '" + text + "' needs three sizes CxHxW (e.g. 1x28x28 or 3x32x32)");
  return shape;
}

std::uint64_t default_chunk_rows(std::uint64_t item_bytes) {
  constexpr std::uint64_t kChunkCacheBytes = 1 << 20;
  std::uint64_t rows =
      std::max<std::uint64_t>(1, kChunkCacheBytes / std::max<std::uint64_t>(1, item_bytes));
  return std::min<std::uint64_t>(std::bit_floor(rows), 65536);
}

void check_unique_ids(const std::string& file, std::span<const std::uint64_t> ids) {
  std::vector<std::uint64_t> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  auto duplicate = std::adjacent_find(sorted.begin(), sorted.end());
  if (duplicate == sorted.end()) return;
  auto first = std::find(ids.begin(), ids.end(), *duplicate) - ids.begin();
  auto second = std::find(ids.begin() + first + 1, ids.end(), *duplicate) - ids.begin();
  throw InputError(file, kIds,
                   fmt::format("id {} appears more than once (rows {} and {}); ids must be unique",
                               *duplicate, first, second));
}

void check_label_range(const std::string& file, std::span<const std::int32_t> labels,
                       std::size_t class_count) {
  for (size_t row = 0; row < labels.size(); ++row) {
    std::int32_t label = labels[row];
    if (label < kUnknownLabel || label >= static_cast<std::int32_t>(class_count))
      throw InputError(file, kLabels,
                       fmt::format("row {} has label {}, outside -1..{} ({} classes)", row, label,
                                   static_cast<long>(class_count) - 1, class_count));
  }
}

PoolFile::PoolFile(h5::File file, h5::Dataset items, h5::Dataset ids,
                   std::optional<h5::Dataset> labels, PoolMeta meta)
    : file_(std::move(file)),
      items_(std::move(items)),
      ids_(std::move(ids)),
      labels_(std::move(labels)),
      meta_(std::move(meta)) {}

PoolFile PoolFile::open(const std::filesystem::path& path, const h5::FileAccess& access) {
  const std::string name = path.string();
  h5::File file = h5::File::open_read_only(path, access);
  const char* how_to_make = "make pools with 'quarry pool import' or 'quarry pool synth'";
  if (!h5::has_attribute(file.id(), "quarry_format"))
    throw InputError(name, "attribute quarry_format", "is missing: not a quarry pool", how_to_make);
  std::string format = h5::read_string_attribute(file.id(), "quarry_format");
  if (format != kFormat && format != kFormatClassifyOnly)
    throw InputError(name, "attribute quarry_format",
                     "is '" + format + "', this quarry reads '" + kFormat + "' and '" +
                         kFormatClassifyOnly + "'",
                     how_to_make);

  PoolMeta meta;
  const bool has_images = file.exists(kImages), has_features = file.exists(kFeatures);
  if (has_images == has_features)
    throw InputError(name, "",
                     has_images ? "has both /images and /features; keep one"
                                : "has neither /images nor /features",
                     how_to_make);
  meta.shape.kind = has_images ? Kind::images : Kind::features;
  h5::Dataset items = file.open_dataset(meta.shape.dataset());
  auto dims = items.dims();
  const size_t want_rank = has_images ? 4 : 2;
  const std::string want_type = has_images ? "uint8" : "float32";
  if (dims.size() != want_rank)
    throw InputError(name, meta.shape.dataset(),
                     fmt::format("has {} dimensions, the contract needs {} ({})", dims.size(),
                                 want_rank, has_images ? "[N,C,H,W]" : "[N,D]"));
  if (items.stored_type() != want_type)
    throw InputError(name, meta.shape.dataset(),
                     "holds " + items.stored_type() + ", the contract needs " + want_type);
  meta.count = dims[0];
  meta.shape.dims.assign(dims.begin() + 1, dims.end());
  auto chunk = items.chunk_dims();
  meta.chunk_rows = chunk.empty() ? 0 : chunk[0];

  h5::Dataset ids = file.open_dataset(kIds);
  if (ids.dims().size() != 1 || ids.stored_type() != "uint64" || ids.rows() != meta.count)
    throw InputError(name, kIds,
                     fmt::format("must be uint64 [{}] (one id per item), found {} with shape [{}]",
                                 meta.count, ids.stored_type(), fmt::join(ids.dims(), ",")));
  std::optional<h5::Dataset> labels;
  if (file.exists(kLabels)) {
    labels.emplace(file.open_dataset(kLabels));
    if (labels->dims().size() != 1 || labels->stored_type() != "int32" ||
        labels->rows() != meta.count)
      throw InputError(name, kLabels,
                       fmt::format("must be int32 [{}], found {} with shape [{}]", meta.count,
                                   labels->stored_type(), fmt::join(labels->dims(), ",")));
    meta.has_labels = true;
  }
  if (h5::has_attribute(file.id(), "classes"))
    meta.classes = h5::read_strings_attribute(file.id(), "classes");
  if (h5::has_attribute(file.id(), "source"))
    meta.source = h5::read_string_attribute(file.id(), "source");
  read_task_info(file, meta);
  return PoolFile(std::move(file), std::move(items), std::move(ids), std::move(labels),
                  std::move(meta));
}

void PoolFile::check_contents() const {
  check_unique_ids(path().string(), ids_.read_all<std::uint64_t>());
  if (labels_)
    check_label_range(path().string(), labels_->read_all<std::int32_t>(), meta_.classes.size());
  read_objects(*this, 0, meta_.count);  // validates as it reads
}

}  // namespace quarry::pool

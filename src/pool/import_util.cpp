#include "pool/import_util.hpp"

#include <fmt/format.h>

#include <limits>

#include "core/error.hpp"

namespace quarry::pool {

namespace {
// No real dataset has single items this large; a header claiming one is corrupt.
constexpr std::uint64_t kMaxItemBytes = std::uint64_t{1} << 30;
}  // namespace

ItemShape checked_item_shape(const std::string& file, std::uint64_t count, Kind kind,
                             std::vector<std::uint64_t> dims) {
  if (count == 0) throw InputError(file, "", "holds no items");
  ItemShape shape{kind, std::move(dims)};
  const std::uint64_t element_bytes = kind == Kind::images ? 1 : sizeof(float);
  std::uint64_t bytes = element_bytes;
  for (std::uint64_t dim : shape.dims) {
    if (dim == 0)
      throw InputError(file, "", fmt::format("items of shape {} hold no values", shape.describe()));
    // Checked before multiplying, so the product cannot wrap around.
    if (dim > kMaxItemBytes / bytes)
      throw InputError(file, "",
                       fmt::format("items of shape {} are implausibly large (over {} bytes each)",
                                   shape.describe(), kMaxItemBytes),
                       "the header is probably corrupt");
    bytes *= dim;
  }
  return shape;
}

void check_label_count(const std::string& items_file, std::uint64_t items,
                       const std::string& labels_file, std::uint64_t labels) {
  if (items == labels) return;
  throw InputError(labels_file, "",
                   fmt::format("images file has {} items, labels file has {}", items, labels),
                   "the labels file must hold one label per item of " + items_file);
}

void set_classes(PoolSpec& spec, const std::filesystem::path& labels_file,
                 std::span<const std::int32_t> labels, const std::vector<std::string>& given) {
  spec.has_labels = !labels_file.empty();
  spec.classes = given;
  if (!spec.has_labels) return;
  const auto largest = std::max_element(labels.begin(), labels.end());
  const std::int32_t limit = !given.empty()            ? static_cast<std::int32_t>(given.size())
                             : largest == labels.end() ? 0
                                                       : std::max(0, *largest + 1);
  for (std::size_t row = 0; row < labels.size(); ++row) {
    const std::int32_t label = labels[row];
    if (label >= limit)
      throw InputError(
          labels_file.string(), fmt::format("row {}", row),
          fmt::format("label {} is not below the number of classes ({})", label, limit));
    if (label < kUnknownLabel)
      throw InputError(labels_file.string(), fmt::format("row {}", row),
                       fmt::format("label {} is negative (only -1, unknown, is allowed)", label));
  }
  if (!given.empty()) return;
  for (std::int32_t label = 0; label < limit; ++label)
    spec.classes.push_back(std::to_string(label));
}

std::uint64_t batch_rows(const ItemShape& shape) {
  constexpr std::uint64_t kChunksPerBatch = 4;
  return default_chunk_rows(shape.bytes()) * kChunksPerBatch;
}

void check_id_range(std::uint64_t first_id, std::uint64_t count) {
  if (count > 0 && count - 1 > std::numeric_limits<std::uint64_t>::max() - first_id)
    throw UsageError(
        fmt::format("--first-id {} leaves no room for {} ids below 2^64", first_id, count));
}

}  // namespace quarry::pool

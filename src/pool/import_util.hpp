#pragma once
// Pieces shared by the importers (import_idx.cpp, import_npy.cpp, import_png_dir.cpp): item
// shape checks, labels and class names, and the batch loop that feeds PoolWriter.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "files/pool/schema.hpp"
#include "files/pool/writer.hpp"

namespace quarry::pool {

// Builds the shape of one item from dims read out of `file` holding `count` items, refusing
// empty files, zero sizes and items so large that a corrupt header would make us allocate
// gigabytes before noticing.
ItemShape checked_item_shape(const std::string& file, std::uint64_t count, Kind kind,
                             std::vector<std::uint64_t> dims);

// "images file has 60000 items, labels file has 59999" as an InputError naming both files.
void check_label_count(const std::string& items_file, std::uint64_t items,
                       const std::string& labels_file, std::uint64_t labels);

// Sets spec.classes and spec.has_labels. With a labels file, `labels` (read from it) must each
// be -1 (unknown) or name a class: one of `given` when not empty, else "0".."K-1" with K =
// largest label + 1; other labels are an InputError naming the file and row. Without one
// (empty path), the pool is unlabelled and keeps `given` as its class names.
void set_classes(PoolSpec& spec, const std::filesystem::path& labels_file,
                 std::span<const std::int32_t> labels, const std::vector<std::string>& given);

// Rows per batch: whole pool chunks adding up to a few MiB, so each append fills whole chunks.
std::uint64_t batch_rows(const ItemShape& shape);

// Refuses ids that would wrap around 2^64 (UsageError: --first-id is the user's choice).
void check_id_range(std::uint64_t first_id, std::uint64_t count);

// Feeds writer.spec().count rows to `writer` batch by batch: `fill(first_row, rows, values)`
// writes the item values of rows [first_row, first_row + rows) into `values`; ids are
// first_id + row and labels (empty, or one per row) are sliced to match. Does not finish.
template <class T, class Fill>
void append_in_batches(PoolWriter& writer, std::uint64_t first_id,
                       std::span<const std::int32_t> labels, Fill&& fill) {
  const PoolSpec& spec = writer.spec();
  check_id_range(first_id, spec.count);
  const std::uint64_t item = spec.shape.elements();
  const std::uint64_t batch = std::min(batch_rows(spec.shape), spec.count);
  std::vector<T> values(batch * item);
  std::vector<std::uint64_t> ids(batch);
  for (std::uint64_t first = 0; first < spec.count; first += batch) {
    const std::uint64_t rows = std::min(batch, spec.count - first);
    const std::span<T> batch_values = std::span(values).first(rows * item);
    fill(first, rows, batch_values);
    std::iota(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(rows), first_id + first);
    writer.append(std::span<const T>(batch_values), std::span<const std::uint64_t>(ids).first(rows),
                  labels.empty() ? labels : labels.subspan(first, rows));
  }
}

}  // namespace quarry::pool

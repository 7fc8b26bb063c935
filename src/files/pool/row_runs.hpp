#pragma once
// Reading a scattered set of rows from a chunked dataset without paying HDF5's per-call cost
// for each row, and without reading whole chunks for a single row: sorted rows are grouped into
// runs that stay inside one chunk and skip only small gaps, and each run is one read.
#include <cstdint>
#include <span>
#include <vector>

#include "h5/dataset.hpp"

namespace quarry::pool {

struct RowRun {
  std::uint64_t first_row = 0;  // rows [first_row, first_row + rows) are read in one call
  std::uint64_t rows = 0;
  std::size_t first = 0;  // the run holds wanted rows [first, first + count) of the sorted list
  std::size_t count = 0;
};

// Rows whose gap costs fewer bytes than this are read through rather than split into two calls.
inline constexpr std::uint64_t kMaxGapBytes = 64 * 1024;

// `rows` must be sorted ascending and unique. chunk_rows = 0 means contiguous storage.
std::vector<RowRun> plan_row_runs(std::span<const std::uint64_t> rows, std::uint64_t chunk_rows,
                                  std::uint64_t row_bytes);

// Reads the rows of `runs` (planned for `rows`) into `out`, row after row in the order of
// `rows`: out holds rows.size() * dataset.row_elements() values.
template <class T>
void read_row_runs(const h5::Dataset& dataset, std::span<const std::uint64_t> rows,
                   std::span<const RowRun> runs, std::span<T> out) {
  const std::uint64_t width = dataset.row_elements();
  std::vector<T> scratch;
  for (const RowRun& run : runs) {
    scratch.resize(run.rows * width);
    dataset.read_rows<T>(run.first_row, run.rows, scratch);
    for (std::size_t i = run.first; i < run.first + run.count; ++i) {
      const T* row = scratch.data() + (rows[i] - run.first_row) * width;
      std::copy(row, row + width, out.data() + i * width);
    }
  }
}

// Plans and reads in one step, for small per-item datasets (predictions, probabilities).
template <class T>
std::vector<T> read_sorted_rows(const h5::Dataset& dataset, std::span<const std::uint64_t> rows) {
  const std::uint64_t width = dataset.row_elements();
  const auto chunk = dataset.chunk_dims();
  std::vector<T> out(rows.size() * width);
  const auto runs = plan_row_runs(rows, chunk.empty() ? 0 : chunk[0], width * sizeof(T));
  read_row_runs<T>(dataset, rows, runs, out);
  return out;
}

}  // namespace quarry::pool

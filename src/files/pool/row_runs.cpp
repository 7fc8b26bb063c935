#include "files/pool/row_runs.hpp"

namespace quarry::pool {

std::vector<RowRun> plan_row_runs(std::span<const std::uint64_t> rows, std::uint64_t chunk_rows,
                                  std::uint64_t row_bytes) {
  std::vector<RowRun> runs;
  const std::uint64_t max_gap_rows = row_bytes == 0 ? 0 : kMaxGapBytes / row_bytes;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!runs.empty()) {
      RowRun& run = runs.back();
      const std::uint64_t last = run.first_row + run.rows - 1;
      const bool same_chunk = chunk_rows == 0 || rows[i] / chunk_rows == run.first_row / chunk_rows;
      if (same_chunk && rows[i] - last - 1 <= max_gap_rows) {
        run.rows = rows[i] - run.first_row + 1;
        ++run.count;
        continue;
      }
    }
    runs.push_back({rows[i], 1, i, 1});
  }
  return runs;
}

}  // namespace quarry::pool

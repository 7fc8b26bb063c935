#pragma once
// One Voronoi cell of k-center's traversal: the candidates whose nearest center is the cell's,
// with everything a pick's scan reads about them (distance, priority, id, the int8 copy) held
// side by side in the cell's own arrays. At a million rows the cells of one pick hold rows from
// all over the shard; read through row indices, each row cost two to three cache misses and the
// scan ran at 1.2 GB/s, 12% of one core's read bandwidth. Held here, a scan streams.
// Rows have no order inside a cell: every decision is by (priority, id), so a row removed takes
// the last row's place.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "select/distributed/agree.hpp"
#include "select/kernels/compact.hpp"

namespace quarry::select {

struct KCenterCell {
  std::vector<std::uint32_t> rows;  // shard rows
  std::vector<float> d2;            // squared distance to the cell's center
  std::vector<float> key;           // the priority a pick is chosen by (weight^2 d2)
  std::vector<std::uint64_t> ids;
  CompactRows compact;  // dim 0 when the int8 bounds are off

  float radius2 = 0;  // the largest d2
  Ranked best;        // the farthest row by (priority, id)
  std::uint32_t best_row = 0;

  std::size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }

  // Appends a row; `compact_from` (with `at`) is the copy to take its int8 row from, or nullptr
  // to quantize `fp16` (the first placement). best and radius2 follow.
  void append(std::uint32_t row, float d2, float key, std::uint64_t id, const Float16* fp16,
              const KCenterCell* compact_from, std::size_t at);
  // Removes the rows at `at` (ascending positions); best and radius2 follow.
  void remove_at(const std::vector<std::uint32_t>& at);
  // Recomputes best and radius2 from the rows.
  void refresh();
};

}  // namespace quarry::select

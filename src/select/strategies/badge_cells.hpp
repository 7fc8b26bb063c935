#pragma once
// BADGE's Voronoi cells, stored by cell: every row's scan data (its D^2, the class factor
// a = p - onehot(pred), |a|^2, |h|^2 and the int8 copy of h with its rounding bounds,
// compact.hpp) sits in parallel arrays, each cell a contiguous range of them ordered by D^2,
// largest first. A pick's scan walks a cell in that order and stops at the first row the
// triangle inequality rules out, so it reads sequential memory instead of rows scattered over
// the shard. A row that moves to a new pick's cell is copied to the end of the arrays (the new
// cell) and only marked gone where it was: the scan skips it, and once the gone rows fill the
// room the arrays were given (half the candidates beyond them), every cell is compacted in place.
// The arrays are allocated once: at a million rows, fresh memory per pick (page faults) cost more
// than the copies. The fp16 embedding stays in the shard: only the few rows no bound rules out
// read it.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "select/kernels/compact.hpp"
#include "select/strategies/gradient_space.hpp"

namespace quarry::select {

// Rows' scan data in parallel arrays; `used` of them hold rows, the rest is room.
struct BadgeRowArrays {
  static constexpr std::uint32_t kGone = std::numeric_limits<std::uint32_t>::max();

  std::size_t classes = 0, used = 0;
  std::vector<std::uint32_t> rows;  // the shard's rows; kGone for a row that left its cell
  std::vector<double> d2;
  std::vector<float> a;       // [rows, classes]
  std::vector<float> a2, h2;  // |a|^2, |h|^2
  CompactRows compact;        // the int8 copy; compact.dim 0 when the scan goes without

  BadgeRowArrays(std::size_t classes, std::size_t compact_dim);
  std::size_t capacity() const { return rows.size(); }
  const float* a_of(std::size_t at) const { return a.data() + at * classes; }
  // At least `count` rows of room in all (keeping the rows used).
  void reserve(std::size_t count);
  // Copies row `at` of `from` to position `to` (within the capacity) with D^2 `d2`.
  void put(std::size_t to, const BadgeRowArrays& from, std::size_t at, std::uint32_t row,
           double d2);
  // Puts shard row `row` at position `to` (within the capacity) with D^2 `d2`, quantizing its
  // embedding.
  void put_shard_row(std::size_t to, const Shard& shard, const GradientFactors& factors,
                     std::uint32_t row, double d2);
  // Appends all rows of `from`, in order.
  void append(const BadgeRowArrays& from);
  // Adds the int8 copy of every row used (not gone), from the shard's embeddings.
  void add_compact(const Shard& shard);

 private:
  void put_factors(std::size_t to, std::uint32_t row, double d2, const float* a, float a2,
                   float h2);
};

// A cell: rows [begin, end) of the arrays, the gone ones marked; `first` the first not gone.
struct BadgeCell {
  std::size_t begin = 0, end = 0, first = 0, gone = 0;
  bool empty() const { return gone == end - begin; }
  // The largest D^2 of the rows not gone (0 when none).
  double radius2(const BadgeRowArrays& arrays) const {
    return first < end ? arrays.d2[first] : 0.0;
  }
  void mark_gone(BadgeRowArrays& arrays, std::size_t at);
};

// A row on its way to a new cell: where it is now, and its D^2 there.
struct BadgeCellEntry {
  double d2;
  std::uint32_t at, row;
};

// By D^2, largest first (rows of equal D^2 in any order: a scan's decisions depend on D^2 alone).
void sort_by_d2(std::vector<BadgeCellEntry>& entries);
// Appends `entries`' rows of `from` to `to`, ordered by their new D^2.
void append_sorted(BadgeRowArrays& to, const BadgeRowArrays& from,
                   std::vector<BadgeCellEntry>& entries);

// Drops every gone row, moving the cells' rows down in place (cells lie in the arrays in order).
void compact_cells(BadgeRowArrays& arrays, std::vector<BadgeCell>& cells);

}  // namespace quarry::select

#pragma once
// One Voronoi cell of BADGE's seeding, stored by itself: its rows and what a pick's scan reads of
// every row it visits (D^2, the class factor a = p - onehot(pred), |a|^2, |h|^2), each in an array
// of its own, ordered by D^2, largest first. A pick's scan walks a cell in that order and stops
// at the first row the triangle inequality rules out, so it reads sequential memory instead of
// rows scattered over the shard. A row that moves to a new pick's cell is copied there; in the
// cell it leaves it is only marked gone (the scan skips it), and the cell drops its gone rows
// once they are half of it, so a move costs a copy, not a shift of the rows behind it. The fp16
// embedding stays in the shard: only the few rows no bound rules out read it, and copying it on
// every move cost more than those reads.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "select/strategies/gradient_space.hpp"

namespace quarry::select {

struct BadgeCell {
  static constexpr std::uint32_t kGone = std::numeric_limits<std::uint32_t>::max();

  std::size_t classes = 0;
  std::vector<std::uint32_t> rows;  // the shard's rows; kGone for a row that left
  std::vector<double> d2;           // by D^2, largest first
  std::vector<float> a;             // [rows, classes]
  std::vector<float> a2, h2;        // |a|^2, |h|^2
  std::size_t first = 0;            // the first row not gone (size() when none)
  std::size_t gone = 0;

  std::size_t size() const { return rows.size(); }
  bool empty() const { return gone == rows.size(); }
  // The largest D^2 of the rows not gone (0 when none).
  double radius2() const { return first < d2.size() ? d2[first] : 0.0; }
  const float* a_of(std::size_t at) const { return a.data() + at * classes; }

  // The shard's `rows` in that order, D^2 not yet known (infinite): unsorted.
  static BadgeCell of_rows(const GradientFactors& factors, const std::vector<std::uint32_t>& rows);
  // Marks the row at `at` gone; settle() after the last mark of a pick.
  void mark_gone(std::size_t at);
  // Moves first past gone rows, and drops the gone rows once they are half the cell.
  void settle();
};

// A row of an existing cell on its way to a new cell, with its D^2 there (`from` may have marked
// it gone already, so the entry keeps its row).
struct BadgeCellEntry {
  double d2;
  const BadgeCell* from;
  std::uint32_t at, row;
};

// The cell of `entries`, ordered by their D^2 (largest first), from cells of `classes` classes
// (before they settle()).
BadgeCell sorted_cell(std::vector<BadgeCellEntry>& entries, std::size_t classes);

}  // namespace quarry::select

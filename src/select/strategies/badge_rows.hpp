#pragma once
// This rank's rows during BADGE's k-means++ seeding: each candidate's squared gradient-space
// distance D^2 to its nearest pick, kept in the Voronoi cell of that pick. A new pick c only
// lowers rows it is closer to, and by the triangle inequality a row i of center j's cell with
// d(j, c) >= 2 d(i, j) cannot move: whole cells (the bound against the cell's largest D^2) and
// single rows are skipped without reading their embedding, and the Cauchy-Schwarz bound on the
// C-wide factor skips most of the rest. Every skip decision is a function of the row and the
// picks alone (a cell is only skipped when each of its rows would be), so D^2 is the same for
// any split of the rows over ranks. Each cell keeps what the scan reads of its rows in arrays of
// its own (badge_cells.hpp).
#include <cstdint>
#include <limits>
#include <vector>

#include "select/strategies/badge_cells.hpp"

namespace quarry::select {

class BadgeRows {
 public:
  BadgeRows(const Shard& shard, const GradientFactors& factors,
            const std::vector<std::uint32_t>& candidates);

  // The winning rank takes its pick out of the candidates (D^2 0, in no cell).
  void pick(std::uint32_t row);
  // Lowers D^2 to the new center (the picks' order decides ties: the earlier center keeps a row).
  void add_center(const GradientPoint& center);

  bool open(std::uint32_t row) const { return cell_of_[row] != kNone; }
  double d2(std::uint32_t row) const { return d2_[row]; }
  const std::vector<std::uint32_t>& candidates() const { return candidates_; }
  double largest_open_d2() const;
  // Rows whose embedding was read for the last center (a measure of pruning).
  std::uint64_t rows_streamed() const { return streamed_; }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kUnassigned = kNone - 1;  // open, before the first center
  void first_center(const GradientPoint& center);
  // Lowers D^2 of the rows of cell j that `center` is nearer to (bounded by `center_d2`: the
  // larger of d(j, c)^2 and its lower bound), staging them in moving_.
  void scan(std::uint32_t j, double center_d2, const GradientPoint& center);
  // The row at `at` of `cell` is nearer to the newest center, at `dist2`: it leaves the cell.
  void move(BadgeCell& cell, std::uint32_t at, double dist2);

  const Shard& shard_;
  const GradientFactors& f_;
  std::vector<std::uint32_t> candidates_;
  GradientCenters centers_;
  std::vector<double> d2_;              // per shard row (the cells keep a copy of their rows')
  std::vector<std::uint32_t> cell_of_;  // kNone: not a candidate, or picked
  std::vector<BadgeCell> cells_;
  std::vector<std::uint32_t> which_;             // the cells a new center may take rows from
  std::vector<std::uint32_t> near_, near_rows_;  // the scanned cell's rows left: positions, rows
  std::vector<float> near_aa_, scratch_;
  std::vector<double> bound_of_, center_d2_;
  std::vector<BadgeCellEntry> moving_;  // rows the newest center takes
  std::uint64_t streamed_ = 0;
};

}  // namespace quarry::select

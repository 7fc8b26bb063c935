#pragma once
// This rank's rows during BADGE's k-means++ seeding: each candidate's squared gradient-space
// distance D^2 to its nearest pick, kept in the Voronoi cell of that pick. A new pick c only
// lowers rows it is closer to, and by the triangle inequality a row i of center j's cell with
// d(j, c) >= 2 d(i, j) cannot move: whole cells (the bound against the cell's largest D^2) and
// single rows are skipped without reading their embedding, and the Cauchy-Schwarz bound on the
// C-wide factor skips most of the rest. Every skip decision is a function of the row and the
// picks alone (a cell is only skipped when each of its rows would be), so D^2 is the same for
// any split of the rows over ranks.
#include <cstdint>
#include <limits>
#include <vector>

#include "select/strategies/gradient_space.hpp"

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
  struct Cell {
    std::vector<std::uint32_t> rows;  // by D^2, largest first (D^2 only changes on a move)
    double radius2 = 0;               // the largest D^2 in the cell
  };
  void first_center(const GradientPoint& center);
  // The rows of `cell` (center j) that `center` may lower, bounded by `center_d2`: the larger
  // of d(j, c)^2 and its lower bound.
  void collect_near(const Cell& cell, double center_d2, const GradientPoint& center);
  void refresh(Cell& cell) const;
  void sort(Cell& cell) const;

  const Shard& shard_;
  const GradientFactors& f_;
  std::vector<std::uint32_t> candidates_;
  GradientCenters centers_;
  std::vector<double> d2_;
  std::vector<float> a_dev_, h_dev_;    // |a - a_j|, |h - h_j| to the row's own center j
  std::vector<std::uint32_t> cell_of_;  // kNone: not a candidate, or picked
  std::vector<Cell> cells_;
  std::vector<std::uint32_t> near_, which_;
  std::vector<float> near_aa_, scratch_;
  std::vector<double> center_d2_;
  std::uint64_t streamed_ = 0;
};

}  // namespace quarry::select

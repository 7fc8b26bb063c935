#pragma once
// This rank's rows during BADGE's k-means++ seeding: each candidate's squared gradient-space
// distance D^2 to its nearest pick, kept in the Voronoi cell of that pick. A new pick c only
// lowers rows it is closer to, and by the triangle inequality a row i of center j's cell with
// d(j, c) >= 2 d(i, j) cannot move: whole cells (the bound against the cell's largest D^2) and
// single rows are skipped without reading their embedding, and the Cauchy-Schwarz bound on the
// C-wide factor skips most of the rest; of those, the int8 copy's bounds on h.h_c skip most
// again, and only the others read their fp16 embedding. Every skip decision is a function of the
// row and the picks alone (a cell is only skipped when each of its rows would be), so D^2 is the
// same for any split of the rows over ranks. Each cell keeps what the scan reads of its rows in
// arrays of its own (badge_cells.hpp).
// The int8 copy costs a quantization per row (about 25 fp16 distances' worth) and saves about
// 40% of an fp16 distance per row it bounds, so it is made only where the scans promise to bound
// many rows: every kCompactWarmup centers (from the second such window), when the rows that
// passed the Cauchy-Schwarz bound for those centers, projected over the picks left, reach
// kCompactPayback times the open rows. Set by measurement here: it pays on an untrained CNN's
// embeddings at 300,000 rows and k = 3,000 (about 290 times the open rows ahead after 32 picks),
// not on a trained one's (under 30 times), nor at 100,000 rows and k = 1,000 (110 times: it
// measured slower). QUARRY_BADGE_COMPACT=on makes it from the first
// center, =off never (for comparisons: the picks are the same either way).
#include <cstdint>
#include <limits>
#include <vector>

#include "select/strategies/badge_cells.hpp"

namespace quarry::select {

// What the scans read, over all centers so far.
struct BadgeScanCounts {
  std::uint64_t visited = 0;  // rows whose D^2 and class factor were read
  std::uint64_t bounded = 0;  // rows whose int8 copy was read
  std::uint64_t exact = 0;    // rows whose fp16 embedding was read
  std::uint64_t bytes = 0;    // all of that
};

class BadgeRows {
 public:
  // `picks`: how many centers the seeding will add (it decides whether the int8 copy pays).
  BadgeRows(const Shard& shard, const GradientFactors& factors,
            const std::vector<std::uint32_t>& candidates, std::size_t picks);

  // The winning rank takes its pick out of the candidates (D^2 0, in no cell).
  void pick(std::uint32_t row);
  // Lowers D^2 to the new center (the picks' order decides ties: the earlier center keeps a row).
  void add_center(const GradientPoint& center);

  bool open(std::uint32_t row) const { return cell_of_[row] != kNone; }
  double d2(std::uint32_t row) const { return d2_[row]; }
  const std::vector<std::uint32_t>& candidates() const { return candidates_; }
  double largest_open_d2() const;
  const BadgeScanCounts& counts() const { return counts_; }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kUnassigned = kNone - 1;  // open, before the first center
  static constexpr std::size_t kCompactWarmup = 16;
  static constexpr double kCompactPayback = 160;
  enum class Compact { off, on, when_it_pays };
  void first_center(const GradientPoint& center);
  // Lowers D^2 of the rows of cell j that `center` is nearer to (bounded by `center_d2`: the
  // larger of d(j, c)^2 and its lower bound), staging them in moving_.
  void scan(std::uint32_t j, double center_d2, const GradientPoint& center);
  // Drops from near_ the rows whose bound from the int8 copy proves `center` no nearer.
  void rule_out_by_compact(const GradientPoint& center);
  // The row at `at` of cell j is nearer to the newest center, at `dist2`: it leaves the cell.
  void move(BadgeCell& cell, std::uint32_t at, double dist2);
  // The rows moving_ names, as the newest cell (its rows leave their cells).
  void add_cell();
  // Makes the int8 copy where the rule above says so.
  void consider_compact();

  const Shard& shard_;
  const GradientFactors& f_;
  std::vector<std::uint32_t> candidates_;
  std::size_t picks_;
  Compact compact_;
  std::size_t open_ = 0;           // open rows, from the first center on
  std::uint64_t near_window_ = 0;  // rows that passed the Cauchy-Schwarz bound, recent centers
  GradientCenters centers_;
  CompactCenter compact_center_;        // the newest center, quantized
  std::vector<double> d2_;              // per shard row (the cells keep a copy of their rows')
  std::vector<std::uint32_t> cell_of_;  // kNone: not a candidate, or picked
  BadgeRowArrays arrays_;               // the cells' rows
  BadgeRowArrays moved_;                // the newest cell's rows, on their way to arrays_
  std::size_t room_ = 0;                // the rows arrays_ may hold before compacting
  std::vector<BadgeCell> cells_;
  std::vector<std::uint32_t> which_;             // the cells a new center may take rows from
  std::vector<std::uint32_t> near_, near_rows_;  // the scanned cell's rows left: positions, rows
  std::vector<float> near_aa_, scratch_;
  std::vector<std::int64_t> dots_;
  std::vector<double> bound_of_, center_d2_;
  std::vector<BadgeCellEntry> moving_;  // rows the newest center takes
  BadgeScanCounts counts_;
};

}  // namespace quarry::select

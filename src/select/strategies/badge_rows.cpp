#include "select/strategies/badge_rows.hpp"

#include <algorithm>
#include <cmath>

#include "select/kernels/distance.hpp"

namespace quarry::select {

BadgeRows::BadgeRows(const Shard& shard, const GradientFactors& factors,
                     const std::vector<std::uint32_t>& candidates)
    : shard_(shard),
      f_(factors),
      candidates_(candidates),
      centers_(factors.classes, shard.dim()),
      d2_(shard.size(), INFINITY),
      cell_of_(shard.size(), kNone) {
  for (const auto row : candidates_) cell_of_[row] = kUnassigned;
}

void BadgeRows::pick(std::uint32_t row) {
  d2_[row] = 0;
  if (!cells_.empty()) {  // the first pick comes before any cell
    BadgeCell& cell = cells_[cell_of_[row]];
    cell.mark_gone(
        std::size_t(std::find(cell.rows.begin(), cell.rows.end(), row) - cell.rows.begin()));
    cell.settle();
  }
  cell_of_[row] = kNone;
}

void BadgeRows::move(BadgeCell& cell, std::uint32_t at, double dist2) {
  const auto row = cell.rows[at];
  d2_[row] = dist2;
  cell_of_[row] = std::uint32_t(cells_.size());
  moving_.push_back({dist2, &cell, at, row});
  cell.mark_gone(at);
}

void BadgeRows::first_center(const GradientPoint& center) {
  std::vector<std::uint32_t> rows;
  for (const auto row : candidates_)
    if (open(row)) rows.push_back(row);
  BadgeCell all = BadgeCell::of_rows(f_, rows);
  scratch_.resize(all.size());
  distance_kernels().sq_dist_rows(shard_.embeddings.data(), shard_.dim(), rows.data(), rows.size(),
                                  center.h.data(), scratch_.data());
  moving_.clear();
  for (std::uint32_t at = 0; at < all.size(); ++at) {
    const float aa = class_dot(all.a_of(at), center.a.data(), f_.classes);
    move(all, at, gradient_d2(all.a2[at], all.h2[at], aa, center, scratch_[at]));
  }
  streamed_ = all.size();
  cells_.push_back(sorted_cell(moving_, all.classes));
}

void BadgeRows::scan(std::uint32_t j, double center_d2, const GradientPoint& center) {
  BadgeCell& cell = cells_[j];
  near_.clear();
  near_rows_.clear();
  near_aa_.clear();
  for (auto at = std::uint32_t(cell.first); at < cell.size(); ++at) {
    const double room = cell.d2[at] * (1 + kGradientPruneMargin);
    // Triangle inequality: c is no nearer than j, for this row and the rest (smaller D^2).
    if (4 * room <= center_d2) break;
    if (cell.rows[at] == BadgeCell::kGone) continue;
    const float aa = class_dot(cell.a_of(at), center.a.data(), cell.classes);
    if (gradient_lower_bound(cell.a2[at], cell.h2[at], aa, center) >= room) continue;
    near_.push_back(at);
    near_rows_.push_back(cell.rows[at]);
    near_aa_.push_back(aa);
  }
  scratch_.resize(near_.size());
  distance_kernels().sq_dist_rows(shard_.embeddings.data(), shard_.dim(), near_rows_.data(),
                                  near_rows_.size(), center.h.data(), scratch_.data());
  streamed_ += near_.size();
  for (std::size_t i = 0; i < near_.size(); ++i) {
    const auto at = near_[i];
    const double dist2 = gradient_d2(cell.a2[at], cell.h2[at], near_aa_[i], center, scratch_[i]);
    if (dist2 < cell.d2[at]) move(cell, at, dist2);
  }
}

void BadgeRows::add_center(const GradientPoint& center) {
  const std::uint32_t fresh = std::uint32_t(centers_.size());
  if (fresh == 0) {
    first_center(center);
    centers_.add(center);
    return;
  }
  // The cells the triangle inequality cannot rule out: first by the cheap bound between
  // centers, then by their exact distance.
  which_.clear();
  bound_of_.clear();
  for (std::uint32_t j = 0; j < fresh; ++j) {
    const BadgeCell& cell = cells_[j];
    if (cell.empty()) continue;
    const double bound = centers_.lower_bound(j, center);
    if (bound >= 4 * cell.radius2() * (1 + kGradientPruneMargin)) continue;
    which_.push_back(j);
    bound_of_.push_back(bound);
  }
  centers_.exact_d2(which_, center, center_d2_);
  moving_.clear();
  streamed_ = 0;
  for (std::size_t i = 0; i < which_.size(); ++i)
    scan(which_[i], std::max(bound_of_[i], center_d2_[i]), center);
  // The new cell copies its rows before the old cells let them go.
  BadgeCell moved = sorted_cell(moving_, f_.classes);
  for (const auto j : which_) cells_[j].settle();
  cells_.push_back(std::move(moved));
  centers_.add(center);
}

double BadgeRows::largest_open_d2() const {
  double largest = 0;
  for (const auto& cell : cells_) largest = std::max(largest, cell.radius2());
  return largest;
}

}  // namespace quarry::select

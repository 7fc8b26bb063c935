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
  if (cells_.empty()) {  // the first pick: no cells yet
    cell_of_[row] = kNone;
    return;
  }
  Cell& cell = cells_[cell_of_[row]];
  cell.rows.erase(std::find(cell.rows.begin(), cell.rows.end(), row));
  cell_of_[row] = kNone;
  refresh(cell);
}

void BadgeRows::first_center(const GradientPoint& center) {
  Cell cell;
  for (const auto row : candidates_)
    if (open(row)) cell.rows.push_back(row);
  scratch_.resize(cell.rows.size());
  distance_kernels().sq_dist_rows(shard_.embeddings.data(), shard_.dim(), cell.rows.data(),
                                  cell.rows.size(), center.h.data(), scratch_.data());
  for (std::size_t i = 0; i < cell.rows.size(); ++i) {
    const auto row = cell.rows[i];
    const float aa = class_dot(f_.a_of(row), center.a.data(), f_.classes);
    d2_[row] = gradient_d2(f_.a_norm2[row], f_.h_norm2[row], aa, center, scratch_[i]);
    cell_of_[row] = 0;
  }
  streamed_ = cell.rows.size();
  sort(cell);
  cells_.push_back(std::move(cell));
}

void BadgeRows::collect_near(const Cell& cell, double center_d2, const GradientPoint& center) {
  for (const auto row : cell.rows) {
    const double room = d2_[row] * (1 + kGradientPruneMargin);
    // Triangle inequality: c is no nearer than j, for this row and the rest (smaller D^2).
    if (4 * room <= center_d2) break;
    const float aa = class_dot(f_.a_of(row), center.a.data(), f_.classes);
    if (gradient_lower_bound(f_.a_norm2[row], f_.h_norm2[row], aa, center) >= room) continue;
    near_.push_back(row);
    near_aa_.push_back(aa);
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
  std::vector<double> bound_of;
  for (std::uint32_t j = 0; j < fresh; ++j) {
    const Cell& cell = cells_[j];
    if (cell.rows.empty()) continue;
    const double bound = centers_.lower_bound(j, center);
    if (bound >= 4 * cell.radius2 * (1 + kGradientPruneMargin)) continue;
    which_.push_back(j);
    bound_of.push_back(bound);
  }
  centers_.exact_d2(which_, center, center_d2_);
  near_.clear();
  near_aa_.clear();
  for (std::size_t i = 0; i < which_.size(); ++i)
    collect_near(cells_[which_[i]], std::max(bound_of[i], center_d2_[i]), center);
  scratch_.resize(near_.size());
  distance_kernels().sq_dist_rows(shard_.embeddings.data(), shard_.dim(), near_.data(),
                                  near_.size(), center.h.data(), scratch_.data());
  streamed_ = near_.size();
  Cell moved;
  for (std::size_t i = 0; i < near_.size(); ++i) {
    const auto row = near_[i];
    const double dist2 =
        gradient_d2(f_.a_norm2[row], f_.h_norm2[row], near_aa_[i], center, scratch_[i]);
    if (dist2 < d2_[row]) {
      d2_[row] = dist2;
      cell_of_[row] = fresh;
      moved.rows.push_back(row);
    }
  }
  for (const auto j : which_) {
    Cell& cell = cells_[j];
    const auto kept = std::remove_if(cell.rows.begin(), cell.rows.end(),
                                     [&](std::uint32_t row) { return cell_of_[row] != j; });
    if (kept == cell.rows.end()) continue;
    cell.rows.erase(kept, cell.rows.end());
    refresh(cell);
  }
  sort(moved);
  cells_.push_back(std::move(moved));
  centers_.add(center);
}

void BadgeRows::refresh(Cell& cell) const {
  cell.radius2 = cell.rows.empty() ? 0.0 : d2_[cell.rows.front()];
}

void BadgeRows::sort(Cell& cell) const {
  std::sort(cell.rows.begin(), cell.rows.end(),
            [&](std::uint32_t a, std::uint32_t b) { return d2_[a] > d2_[b]; });
  refresh(cell);
}

double BadgeRows::largest_open_d2() const {
  double largest = 0;
  for (const auto& cell : cells_) largest = std::max(largest, cell.radius2);
  return largest;
}

}  // namespace quarry::select

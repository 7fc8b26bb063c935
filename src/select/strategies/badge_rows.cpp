#include "select/strategies/badge_rows.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace {

template <class Compact>
Compact compact_mode(std::size_t dim) {
  const char* forced = std::getenv("QUARRY_BADGE_COMPACT");
  const std::string_view mode = forced ? forced : "";
  if (dim == 0 || mode == "off") return Compact::off;
  return mode == "on" ? Compact::on : Compact::when_it_pays;
}

}  // namespace

BadgeRows::BadgeRows(const Shard& shard, const GradientFactors& factors,
                     const std::vector<std::uint32_t>& candidates, std::size_t picks)
    : shard_(shard),
      f_(factors),
      candidates_(candidates),
      picks_(picks),
      compact_(compact_mode<Compact>(shard.dim())),
      centers_(factors.classes, shard.dim()),
      d2_(shard.size(), INFINITY),
      cell_of_(shard.size(), kNone),
      arrays_(factors.classes, compact_ == Compact::on ? shard.dim() : 0),
      moved_(factors.classes, arrays_.compact.dim) {
  for (const auto row : candidates_) cell_of_[row] = kUnassigned;
}

void BadgeRows::pick(std::uint32_t row) {
  d2_[row] = 0;
  if (!cells_.empty()) {  // the first pick comes before any cell
    BadgeCell& cell = cells_[cell_of_[row]];
    std::size_t at = cell.first;
    while (arrays_.rows[at] != row) ++at;
    cell.mark_gone(arrays_, at);
    --open_;
  }
  cell_of_[row] = kNone;
}

void BadgeRows::move(BadgeCell& cell, std::uint32_t at, double dist2) {
  const auto row = arrays_.rows[at];
  d2_[row] = dist2;
  cell_of_[row] = std::uint32_t(cells_.size());
  moving_.push_back({dist2, at, row});
  cell.mark_gone(arrays_, at);
}

void BadgeRows::first_center(const GradientPoint& center) {
  std::vector<std::uint32_t> rows;
  for (const auto row : candidates_)
    if (open(row)) rows.push_back(row);
  const std::size_t n = rows.size();
  scratch_.resize(n);
  distance_kernels().sq_dist_rows(shard_.embeddings.data(), shard_.dim(), rows.data(), n,
                                  center.h.data(), scratch_.data());
  std::vector<BadgeCellEntry> order(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto row = rows[i];
    const float aa = class_dot(f_.a_of(row), center.a.data(), f_.classes);
    d2_[row] = gradient_d2(f_.a_norm2[row], f_.h_norm2[row], aa, center, scratch_[i]);
    cell_of_[row] = 0;
    order[i] = {d2_[row], row, row};
  }
  counts_.exact += n;
  counts_.bytes += n * 2 * shard_.dim();
  // Room for the open rows and half as many again, gone ones among them.
  room_ = n + n / 2 + 1;
  arrays_.reserve(room_);
  sort_by_d2(order);
  for (std::size_t at = 0; at < n; ++at)
    arrays_.put_shard_row(at, shard_, f_, order[at].row, order[at].d2);
  arrays_.used = n;
  open_ = n;
  cells_.push_back({0, n, 0, 0});
}

void BadgeRows::scan(std::uint32_t j, double center_d2, const GradientPoint& center) {
  BadgeCell& cell = cells_[j];
  near_.clear();
  near_aa_.clear();
  auto at = std::uint32_t(cell.first);
  for (; at < cell.end; ++at) {
    const double room = arrays_.d2[at] * (1 + kGradientPruneMargin);
    // Triangle inequality: c is no nearer than j, for this row and the rest (smaller D^2).
    if (4 * room <= center_d2) break;
    if (arrays_.rows[at] == BadgeRowArrays::kGone) continue;
    const float aa = class_dot(arrays_.a_of(at), center.a.data(), f_.classes);
    if (gradient_lower_bound(arrays_.a2[at], arrays_.h2[at], aa, center) >= room) continue;
    near_.push_back(at);
    near_aa_.push_back(aa);
  }
  near_window_ += near_.size();
  counts_.visited += at - cell.first;
  counts_.bytes += (at - cell.first) *
                   (sizeof(std::uint32_t) + sizeof(double) + (f_.classes + 2) * sizeof(float));
  if (arrays_.compact.dim) rule_out_by_compact(center);
  near_rows_.clear();
  for (const auto near : near_) near_rows_.push_back(arrays_.rows[near]);
  scratch_.resize(near_.size());
  distance_kernels().sq_dist_rows(shard_.embeddings.data(), shard_.dim(), near_rows_.data(),
                                  near_rows_.size(), center.h.data(), scratch_.data());
  counts_.exact += near_.size();
  counts_.bytes += near_.size() * 2 * shard_.dim();
  for (std::size_t i = 0; i < near_.size(); ++i) {
    const auto near = near_[i];
    const double dist2 =
        gradient_d2(arrays_.a2[near], arrays_.h2[near], near_aa_[i], center, scratch_[i]);
    if (dist2 < arrays_.d2[near]) move(cell, near, dist2);
  }
}

void BadgeRows::rule_out_by_compact(const GradientPoint& center) {
  dots_.resize(near_.size());
  compact_dots(arrays_.compact, near_.data(), near_.size(), compact_center_, dots_.data());
  counts_.bounded += near_.size();
  counts_.bytes += near_.size() * (arrays_.compact.dim + sizeof(CompactSide));
  std::size_t kept = 0;
  for (std::size_t i = 0; i < near_.size(); ++i) {
    const auto at = near_[i];
    const float aa = near_aa_[i];
    // D^2 rises with |h - h_c|^2 where a.a_c >= 0 and falls with it where a.a_c < 0; every step
    // of gradient_d2 is monotone in it, so the bound on |h - h_c|^2 bounds the D^2 it computes.
    const auto& side = arrays_.compact.side[at];
    const float sq = aa >= 0 ? lower_sq_dist_bound(side, compact_center_.side, dots_[i])
                             : upper_sq_dist_bound(side, compact_center_.side, dots_[i]);
    if (gradient_d2(arrays_.a2[at], arrays_.h2[at], aa, center, sq) >= arrays_.d2[at]) continue;
    near_[kept] = at;
    near_aa_[kept] = aa;
    ++kept;
  }
  near_.resize(kept);
  near_aa_.resize(kept);
}

void BadgeRows::add_cell() {
  // The rows are copied out before any compaction moves the positions moving_ names.
  moved_.used = 0;
  append_sorted(moved_, arrays_, moving_);
  if (arrays_.used + moved_.used > room_) compact_cells(arrays_, cells_);
  const std::size_t begin = arrays_.used;
  arrays_.append(moved_);
  cells_.push_back({begin, arrays_.used, begin, 0});
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
    if (bound >= 4 * cell.radius2(arrays_) * (1 + kGradientPruneMargin)) continue;
    which_.push_back(j);
    bound_of_.push_back(bound);
  }
  centers_.exact_d2(which_, center, center_d2_);
  if (arrays_.compact.dim) compact_center_ = quantize(center.h.data(), shard_.dim());
  moving_.clear();
  for (std::size_t i = 0; i < which_.size(); ++i)
    scan(which_[i], std::max(bound_of_[i], center_d2_[i]), center);
  add_cell();
  centers_.add(center);
  consider_compact();
}

void BadgeRows::consider_compact() {
  if (compact_ != Compact::when_it_pays || arrays_.compact.dim) return;
  const std::size_t done = centers_.size() - 1;  // centers after the first
  if (done % kCompactWarmup != 0 || done >= picks_) return;
  // The last kCompactWarmup centers' rate, from the second window on: the first centers scan
  // far more than the later ones (a fifth of a trained model's 100,000 rows each).
  const double ahead = double(near_window_) / kCompactWarmup * double(picks_ - done);
  near_window_ = 0;
  if (done == kCompactWarmup) return;
  if (ahead < kCompactPayback * double(open_)) return;
  arrays_.add_compact(shard_);
  moved_.add_compact(shard_);
}

double BadgeRows::largest_open_d2() const {
  double largest = 0;
  for (const auto& cell : cells_) largest = std::max(largest, cell.radius2(arrays_));
  return largest;
}

}  // namespace quarry::select

#include "ingest/objects/fusion.hpp"

#include <algorithm>

namespace quarry::ingest::objects {

std::array<double, 4> fuse_box(std::span<const Weighted> members) {
  std::array<double, 4> sum{};
  double total = 0;
  for (const auto& m : members) {
    for (int c = 0; c < 4; ++c) sum[c] += m.weight * m.object->box[c];
    total += m.weight;
  }
  for (auto& c : sum) c /= total;
  return sum;
}

double weighted_median(std::vector<std::pair<double, double>> value_weight) {
  std::sort(value_weight.begin(), value_weight.end());
  double total = 0;
  for (const auto& [value, weight] : value_weight) total += weight;
  double below = 0, previous_at = 0, previous = value_weight.front().first;
  for (const auto& [value, weight] : value_weight) {
    const double at = (below + weight / 2) / total;
    below += weight;
    if (at >= 0.5) {
      if (at == previous_at) return value;
      const double t = std::clamp((0.5 - previous_at) / (at - previous_at), 0.0, 1.0);
      return previous + t * (value - previous);
    }
    previous_at = at;
    previous = value;
  }
  return value_weight.back().first;
}

std::vector<double> fuse_keypoints(std::span<const Weighted> members, std::size_t keypoint_count) {
  std::vector<double> fused(keypoint_count * 3, 0.0);
  for (std::size_t k = 0; k < keypoint_count; ++k) {
    std::array<double, 3> visibility_vote{};
    std::vector<std::pair<double, double>> xs, ys;
    for (const auto& m : members) {
      const double* p = &m.object->keypoints[3 * k];
      const int v = std::clamp(static_cast<int>(p[2]), 0, 2);
      visibility_vote[static_cast<std::size_t>(v)] += m.weight;
      if (v == 0) continue;
      xs.emplace_back(p[0], m.weight);
      ys.emplace_back(p[1], m.weight);
    }
    // Ties go to the higher visibility: an annotator who placed the point saw something.
    std::size_t winner = 2;
    for (std::size_t v : {std::size_t{1}, std::size_t{0}})
      if (visibility_vote[v] > visibility_vote[winner]) winner = v;
    if (winner == 0 || xs.empty()) continue;
    fused[3 * k] = weighted_median(std::move(xs));
    fused[3 * k + 1] = weighted_median(std::move(ys));
    fused[3 * k + 2] = static_cast<double>(winner);
  }
  return fused;
}

}  // namespace quarry::ingest::objects

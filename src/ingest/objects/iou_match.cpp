#include "ingest/objects/iou_match.hpp"

#include "detect/box.hpp"
#include "ingest/objects/assignment.hpp"

namespace quarry::ingest::objects {

double box_iou(const std::array<double, 4>& a, const std::array<double, 4>& b) {
  return detect::iou(detect::from_corners(a[0], a[1], a[2], a[3]),
                     detect::from_corners(b[0], b[1], b[2], b[3]));
}

std::vector<MatchedPair> match_boxes(std::span<const std::array<double, 4>> a,
                                     std::span<const std::array<double, 4>> b, double threshold) {
  std::vector<double> cost(a.size() * b.size()), iou(a.size() * b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) {
      iou[i * b.size() + j] = box_iou(a[i], b[j]);
      cost[i * b.size() + j] = 1 - iou[i * b.size() + j];
    }
  std::vector<MatchedPair> pairs;
  const auto assigned = min_cost_assignment(cost, a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (assigned[i] < 0) continue;
    const auto j = static_cast<std::size_t>(assigned[i]);
    if (iou[i * b.size() + j] >= threshold) pairs.push_back({i, j, iou[i * b.size() + j]});
  }
  return pairs;
}

std::vector<MatchedPair> match_objects(std::span<const DrawnObject> a,
                                       std::span<const DrawnObject> b, double threshold) {
  std::vector<std::array<double, 4>> boxes_a, boxes_b;
  for (const auto& o : a) boxes_a.push_back(o.box);
  for (const auto& o : b) boxes_b.push_back(o.box);
  return match_boxes(boxes_a, boxes_b, threshold);
}

}  // namespace quarry::ingest::objects

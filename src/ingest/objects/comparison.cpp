#include "ingest/objects/comparison.hpp"

#include "detect/box.hpp"
#include "detect/coco_eval.hpp"
#include "detect/oks.hpp"
#include "ingest/objects/iou_match.hpp"

namespace quarry::ingest::objects {

Comparison& Comparison::operator+=(const Comparison& other) {
  reference += other.reference;
  candidate += other.candidate;
  matched += other.matched;
  iou_sum += other.iou_sum;
  oks_sum += other.oks_sum;
  oks_pairs += other.oks_pairs;
  class_agreements += other.class_agreements;
  return *this;
}

double keypoint_similarity(const DrawnObject& reference, const DrawnObject& candidate,
                           const std::vector<double>& sigmas) {
  detect::TruthObject truth;
  const auto& b = reference.box;
  truth.box = detect::from_corners(b[0], b[1], b[2], b[3]);
  truth.area = truth.box.area();
  truth.keypoints = reference.keypoints;
  for (std::size_t k = 0; k < sigmas.size(); ++k)
    truth.num_keypoints += reference.keypoints[3 * k + 2] > 0;
  if (truth.num_keypoints == 0) return -1;
  detect::Detection detection;
  detection.keypoints = candidate.keypoints;
  return detect::oks(detection, truth, sigmas);
}

Comparison compare(std::span<const DrawnObject> reference, std::span<const DrawnObject> candidate,
                   double iou_threshold, const std::vector<double>& sigmas) {
  Comparison c;
  c.reference = static_cast<double>(reference.size());
  c.candidate = static_cast<double>(candidate.size());
  for (const auto& pair : match_objects(reference, candidate, iou_threshold)) {
    c.matched += 1;
    c.iou_sum += pair.iou;
    c.class_agreements += reference[pair.a].label == candidate[pair.b].label;
    if (sigmas.empty()) continue;
    const double similarity = keypoint_similarity(reference[pair.a], candidate[pair.b], sigmas);
    if (similarity < 0) continue;
    c.oks_sum += similarity;
    c.oks_pairs += 1;
  }
  return c;
}

}  // namespace quarry::ingest::objects

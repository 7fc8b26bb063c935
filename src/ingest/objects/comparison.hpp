#pragma once
// How well one set of objects matches a reference set on the same item: optimal IoU matching
// (iou_match.hpp), then precision, recall, mean IoU of the matched pairs and their mean keypoint
// OKS (detect::oks, the reference as truth, scaled by the reference box's area). Sums, so items
// add up before the ratios are taken. Agreement between annotators, annotators against the
// consensus or gold, and the tests' comparisons with the truth all use it.
#include <span>
#include <vector>

#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

struct Comparison {
  double reference = 0;  // objects in the reference sets
  double candidate = 0;  // objects in the compared sets
  double matched = 0;    // matched pairs (IoU >= threshold)
  double iou_sum = 0;    // over matched pairs
  double oks_sum = 0;    // over matched pairs whose reference has a labelled keypoint
  double oks_pairs = 0;
  double class_agreements = 0;  // matched pairs of the same class

  Comparison& operator+=(const Comparison& other);
  double precision() const { return candidate > 0 ? matched / candidate : 1; }
  double recall() const { return reference > 0 ? matched / reference : 1; }
  double f1() const {
    return reference + candidate > 0 ? 2 * matched / (reference + candidate) : 1;
  }
  double mean_iou() const { return matched > 0 ? iou_sum / matched : 0; }
  double mean_oks() const { return oks_pairs > 0 ? oks_sum / oks_pairs : 0; }
  double class_accuracy() const { return matched > 0 ? class_agreements / matched : 0; }
};

// `sigmas`: one OKS sigma per keypoint (empty: no keypoints compared).
Comparison compare(std::span<const DrawnObject> reference, std::span<const DrawnObject> candidate,
                   double iou_threshold, const std::vector<double>& sigmas);

// OKS of `candidate`'s keypoints against `reference`'s (the reference's box area as the scale);
// -1 where the reference has no labelled keypoint.
double keypoint_similarity(const DrawnObject& reference, const DrawnObject& candidate,
                           const std::vector<double>& sigmas);

}  // namespace quarry::ingest::objects

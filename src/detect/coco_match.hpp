#pragma once
// Matching of one image and one category, as COCOeval.computeIoU/computeOks and evaluateImg:
// the similarity matrix once, then greedy matching per area range and IoU threshold.
#include <cstdint>
#include <vector>

#include "detect/coco_eval.hpp"

namespace quarry::detect {

// The objects COCOeval evaluates together: one image, one category.
struct ImageCategory {
  std::vector<const TruthObject*> truths;    // in file order
  std::vector<const Detection*> detections;  // in file order
};

// The detections by descending score, ties in file order (numpy's stable mergesort), cut to
// `max_detections`.
std::vector<const Detection*> by_score(const std::vector<const Detection*>& detections,
                                       std::size_t max_detections);

// COCOeval's ious[(image, category)]: row-major [D x G], D detections as `by_score` orders and
// cuts them, truths in file order; IoU for bbox (crowd truth: over the detection's area), OKS for
// keypoints. Empty when either side is (the matrix COCOeval leaves empty).
std::vector<double> similarities(const std::vector<const Detection*>& detections,
                                 const std::vector<const TruthObject*>& truths,
                                 const Params& params);

// What a detection is at one threshold: COCOeval's dtMatches/dtIgnore reduced to the three
// cases accumulate() tells apart.
enum class Outcome : std::uint8_t { false_positive, true_positive, ignored };

struct AreaMatch {
  std::vector<Outcome> outcomes;   // [T x D], D detections as `by_score` gives them
  std::size_t counted_truths = 0;  // truths neither ignored nor outside the range (npig)
};

// evaluateImg for one area range: truths that are crowd (or, for keypoints, have no labelled
// keypoints) or whose area lies outside [min, max] are ignored and sorted last; each detection
// in score order takes the best still-free truth with similarity >= t (crowd truths stay free),
// never leaving a counted truth for an ignored one; a detection matched to an ignored truth,
// or unmatched with its own area outside the range, is ignored.
AreaMatch match(const std::vector<const Detection*>& detections,
                const std::vector<const TruthObject*>& truths,
                const std::vector<double>& similarities, const AreaRange& range,
                const Params& params);

}  // namespace quarry::detect

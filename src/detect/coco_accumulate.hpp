#pragma once
// COCOeval.accumulate(): per category, area range and maxDets, the detections of every image
// in one score order, their cumulative true and false positives, and from them precision at
// the recall thresholds and the recall reached.
#include <cstddef>
#include <vector>

#include "detect/coco_match.hpp"

namespace quarry::detect {

// COCOeval.eval's arrays in numpy's layout: precision [T,R,K,A,M], recall [T,K,A,M]; -1 where
// a category has no counted truth in that area range.
struct Accumulated {
  std::size_t T = 0, R = 0, K = 0, A = 0, M = 0;
  std::vector<double> precision;
  std::vector<double> recall;

  Accumulated(std::size_t t, std::size_t r, std::size_t k, std::size_t a, std::size_t m);
  double& precision_at(std::size_t t, std::size_t r, std::size_t k, std::size_t a, std::size_t m) {
    return precision[(((t * R + r) * K + k) * A + a) * M + m];
  }
  double& recall_at(std::size_t t, std::size_t k, std::size_t a, std::size_t m) {
    return recall[((t * K + k) * A + a) * M + m];
  }
};

// One image's matches in one category (COCOeval's evalImgs entries for it, all area ranges).
struct ImageMatches {
  std::vector<double> scores;         // its detections by score, cut to the largest maxDets
  std::vector<AreaMatch> area_match;  // one per area range
};

// Fills category k of `out` from the images that have truths or detections of it, in the
// evaluation's image order.
void accumulate_category(const std::vector<ImageMatches>& images, std::size_t k,
                         const Params& params, Accumulated& out);

}  // namespace quarry::detect

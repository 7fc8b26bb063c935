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

// One category's matches on every image (COCOeval's evalImgs for it): the detections image by
// image in the evaluation's image order, each image's by score and cut to the largest maxDets.
class CategoryMatches {
 public:
  // Room for the images' detections: sizes[i] for image i.
  CategoryMatches(std::size_t area_ranges, std::size_t thresholds,
                  const std::vector<std::size_t>& sizes);
  // Image i's detection scores (by score) and its matches in each area range. Images may be
  // set concurrently: each writes its own part.
  void set_image(std::size_t i, const std::vector<double>& scores,
                 const std::vector<AreaMatch>& areas);

  std::size_t detections() const { return scores_.size(); }
  double score(std::size_t d) const { return scores_[d]; }
  std::size_t rank(std::size_t d) const { return ranks_[d]; }  // position within its image
  // Detection d at threshold t in area range a.
  const std::vector<Outcome>& outcomes(std::size_t a, std::size_t t) const {
    return outcomes_[a * thresholds_ + t];
  }
  std::size_t counted_truths(std::size_t a) const;  // npig: counted truths in area range a

 private:
  std::size_t areas_, thresholds_;
  std::vector<std::size_t> offsets_;  // image i's detections start at offsets_[i]
  std::vector<double> scores_;
  std::vector<std::uint32_t> ranks_;
  std::vector<std::vector<Outcome>> outcomes_;  // [A * T][detections]
  std::vector<std::size_t> counted_;            // [images * A]
};

// Fills category k of `out` (area ranges and thresholds in parallel: each writes its own cells).
void accumulate_category(const CategoryMatches& matches, std::size_t k, const Params& params,
                         Accumulated& out);

}  // namespace quarry::detect

#include "detect/coco_accumulate.hpp"

#include <algorithm>
#include <cfloat>

namespace quarry::detect {

namespace {

struct Ranked {
  double score;
  std::size_t image;
  std::size_t rank;  // position among its image's detections by score
};

// COCOeval concatenates the images' detections in image order and sorts them by score with a
// stable mergesort: ties keep image order, then the order within the image.
std::vector<Ranked> in_score_order(const std::vector<ImageMatches>& images) {
  std::vector<Ranked> all;
  for (std::size_t i = 0; i < images.size(); ++i)
    for (std::size_t r = 0; r < images[i].scores.size(); ++r)
      all.push_back({images[i].scores[r], i, r});
  std::sort(all.begin(), all.end(), [](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.image != b.image ? a.image < b.image : a.rank < b.rank;
  });
  return all;
}

// Precision at each recall threshold from the cumulative recall and precision of the
// detections in score order: precision made non-increasing from the right, then at threshold r
// the first detection whose recall reaches r (numpy's searchsorted, side left); 0 past the end.
void precision_at_thresholds(std::vector<double>& pr, const std::vector<double>& rc,
                             const std::vector<double>& thresholds, double* out,
                             std::size_t stride) {
  for (std::size_t i = pr.size(); i-- > 1;)
    if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
  for (std::size_t ri = 0; ri < thresholds.size(); ++ri) {
    const auto found = std::lower_bound(rc.begin(), rc.end(), thresholds[ri]);
    out[ri * stride] = found == rc.end() ? 0.0 : pr[std::size_t(found - rc.begin())];
  }
}

}  // namespace

Accumulated::Accumulated(std::size_t t, std::size_t r, std::size_t k, std::size_t a, std::size_t m)
    : T(t),
      R(r),
      K(k),
      A(a),
      M(m),
      precision(t * r * k * a * m, -1.0),
      recall(t * k * a * m, -1.0) {}

void accumulate_category(const std::vector<ImageMatches>& images, std::size_t k,
                         const Params& params, Accumulated& out) {
  const std::vector<Ranked> order = in_score_order(images);
  std::vector<double> rc, pr;
  for (std::size_t a = 0; a < out.A; ++a) {
    std::size_t counted = 0;
    for (const ImageMatches& image : images) counted += image.area_match[a].counted_truths;
    if (counted == 0) continue;
    for (std::size_t m = 0; m < out.M; ++m) {
      const std::size_t max_detections = std::size_t(params.max_detections[m]);
      for (std::size_t t = 0; t < out.T; ++t) {
        rc.clear(), pr.clear();
        double tp = 0, fp = 0;
        // Ignored detections stay in the sequence, repeating the previous recall and precision.
        for (const Ranked& d : order) {
          if (d.rank >= max_detections) continue;
          const AreaMatch& match = images[d.image].area_match[a];
          const Outcome outcome = match.outcomes[t * images[d.image].scores.size() + d.rank];
          tp += outcome == Outcome::true_positive;
          fp += outcome == Outcome::false_positive;
          rc.push_back(tp / double(counted));
          pr.push_back(tp / (fp + tp + DBL_EPSILON));
        }
        out.recall_at(t, k, a, m) = rc.empty() ? 0.0 : rc.back();
        precision_at_thresholds(pr, rc, params.recall_thresholds, &out.precision_at(t, 0, k, a, m),
                                out.K * out.A * out.M);
      }
    }
  }
}

}  // namespace quarry::detect

#include "detect/coco_accumulate.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cfloat>

namespace quarry::detect {

namespace {

// COCOeval concatenates the images' detections in image order and sorts them by score with a
// stable mergesort: ties keep image order, then the order within the image, which is the order
// of `matches`.
std::vector<std::uint32_t> in_score_order(const CategoryMatches& matches) {
  std::vector<std::pair<double, std::uint32_t>> keyed(matches.detections());
  for (std::size_t d = 0; d < keyed.size(); ++d) keyed[d] = {-matches.score(d), std::uint32_t(d)};
  std::sort(keyed.begin(), keyed.end());  // by score, then position: stable
  std::vector<std::uint32_t> order(keyed.size());
  for (std::size_t n = 0; n < keyed.size(); ++n) order[n] = keyed[n].second;
  return order;
}

// One IoU threshold's pass over the detections in score order. COCOeval computes recall and
// precision after every detection, makes precision non-increasing from the right and reads it
// at the first detection whose recall reaches each recall threshold. Recall only grows at a
// true positive, and precision only falls between two of them (and is 0 before the first), so
// the values at the true positives decide every result: the same divisions on the same
// numbers, once per true positive instead of once per detection.
class PrecisionRecall {
 public:
  // The detections at one threshold in score order, those ranked max_detections or later in
  // their image left out.
  void run(const std::vector<Outcome>& outcomes, const std::vector<std::uint32_t>& ranks,
           std::size_t max_detections, std::size_t counted) {
    recall_.clear(), precision_.clear();
    std::size_t tp = 0, fp = 0;  // counts, exact in double as numpy's float cumsums
    for (std::size_t n = 0; n < outcomes.size(); ++n) {
      if (ranks[n] >= max_detections) continue;
      fp += outcomes[n] == Outcome::false_positive;
      if (outcomes[n] != Outcome::true_positive) continue;
      ++tp;
      recall_.push_back(double(tp) / double(counted));
      precision_.push_back(double(tp) / (double(fp) + double(tp) + DBL_EPSILON));
    }
  }
  // COCOeval's recall: that after the last detection, 0 without detections.
  double recall() const { return recall_.empty() ? 0.0 : recall_.back(); }
  // Precision at each threshold into out[ri * stride]: the largest precision from the first
  // true positive reaching the threshold on (numpy's searchsorted, side left), 0 past the end.
  void precision_at(const std::vector<double>& thresholds, double* out, std::size_t stride) {
    for (std::size_t e = precision_.size(); e-- > 1;)
      precision_[e - 1] = std::max(precision_[e - 1], precision_[e]);
    for (std::size_t ri = 0; ri < thresholds.size(); ++ri) {
      const auto found = std::lower_bound(recall_.begin(), recall_.end(), thresholds[ri]);
      out[ri * stride] =
          found == recall_.end() ? 0.0 : precision_[std::size_t(found - recall_.begin())];
    }
  }

 private:
  std::vector<double> recall_, precision_;  // at each true positive
};

}  // namespace

Accumulated::Accumulated(std::size_t t, std::size_t r, std::size_t k, std::size_t a, std::size_t m)
    : T(t),
      R(r),
      K(k),
      A(a),
      M(m),
      precision(t * r * k * a * m, -1.0),
      recall(t * k * a * m, -1.0) {}

CategoryMatches::CategoryMatches(std::size_t area_ranges, std::size_t thresholds,
                                 const std::vector<std::size_t>& sizes)
    : areas_(area_ranges), thresholds_(thresholds), counted_(sizes.size() * area_ranges) {
  offsets_.push_back(0);
  for (std::size_t size : sizes) offsets_.push_back(offsets_.back() + size);
  scores_.resize(offsets_.back());
  ranks_.resize(offsets_.back());
  outcomes_.assign(area_ranges * thresholds, std::vector<Outcome>(offsets_.back()));
}

void CategoryMatches::set_image(std::size_t i, const std::vector<double>& scores,
                                const std::vector<AreaMatch>& areas) {
  const std::size_t D = scores.size(), first = offsets_[i];
  for (std::size_t r = 0; r < D; ++r) scores_[first + r] = scores[r], ranks_[first + r] = r;
  for (std::size_t a = 0; a < areas_; ++a) {
    counted_[i * areas_ + a] = areas[a].counted_truths;
    for (std::size_t t = 0; t < thresholds_; ++t)
      std::copy_n(areas[a].outcomes.begin() + std::ptrdiff_t(t * D), D,
                  outcomes_[a * thresholds_ + t].begin() + std::ptrdiff_t(first));
  }
}

std::size_t CategoryMatches::counted_truths(std::size_t a) const {
  std::size_t counted = 0;
  for (std::size_t i = 0; i + 1 < offsets_.size(); ++i) counted += counted_[i * areas_ + a];
  return counted;
}

void accumulate_category(const CategoryMatches& matches, std::size_t k, const Params& params,
                         Accumulated& out) {
  const std::vector<std::uint32_t> order = in_score_order(matches);
  std::vector<std::uint32_t> rank(order.size());
  for (std::size_t n = 0; n < order.size(); ++n) rank[n] = std::uint32_t(matches.rank(order[n]));
  std::vector<std::size_t> counted(out.A);
  for (std::size_t a = 0; a < out.A; ++a) counted[a] = matches.counted_truths(a);
  tbb::parallel_for(std::size_t{0}, out.A * out.T, [&](std::size_t at) {
    const std::size_t a = at / out.T, t = at % out.T;
    if (counted[a] == 0) return;  // left at -1
    const std::vector<Outcome>& outcomes = matches.outcomes(a, t);
    std::vector<Outcome> sorted(order.size());
    for (std::size_t n = 0; n < order.size(); ++n) sorted[n] = outcomes[order[n]];
    PrecisionRecall curve;
    for (std::size_t m = 0; m < out.M; ++m) {
      curve.run(sorted, rank, std::size_t(params.max_detections[m]), counted[a]);
      out.recall_at(t, k, a, m) = curve.recall();
      curve.precision_at(params.recall_thresholds, &out.precision_at(t, 0, k, a, m),
                         out.K * out.A * out.M);
    }
  });
}

}  // namespace quarry::detect

#include "detect/coco_match.hpp"

#include <algorithm>

#include "detect/oks.hpp"

namespace quarry::detect {

namespace {

bool ignored_everywhere(const TruthObject& truth, IouType iou_type) {
  return truth.crowd || (iou_type == IouType::keypoints && truth.num_keypoints == 0);
}

bool outside(double area, const AreaRange& range) {
  return area < range.min || area > range.max;
}

// The truth COCOeval matches detection d with at threshold t, or -1: candidates in order
// (counted truths first), skipping non-crowd truths already taken, stopping at the ignored
// truths once a counted one matched, keeping the highest similarity >= t (the first of equals).
int best_truth(const double* row, const std::vector<std::size_t>& order,
               const std::vector<bool>& ignored, const std::vector<bool>& taken,
               const std::vector<const TruthObject*>& truths, double t) {
  double best = std::min(t, 1 - 1e-10);
  int chosen = -1;
  for (std::size_t position = 0; position < order.size(); ++position) {
    const std::size_t g = order[position];
    if (taken[position] && !truths[g]->crowd) continue;
    if (chosen > -1 && !ignored[chosen] && ignored[position]) break;
    if (row[g] < best) continue;
    best = row[g];
    chosen = int(position);
  }
  return chosen;
}

}  // namespace

std::vector<const Detection*> by_score(const std::vector<const Detection*>& detections,
                                       std::size_t max_detections) {
  std::vector<const Detection*> sorted = detections;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Detection* a, const Detection* b) { return a->score > b->score; });
  if (sorted.size() > max_detections) sorted.resize(max_detections);
  return sorted;
}

std::vector<double> similarities(const std::vector<const Detection*>& detections,
                                 const std::vector<const TruthObject*>& truths,
                                 const Params& params) {
  if (detections.empty() || truths.empty()) return {};
  const std::size_t G = truths.size();
  std::vector<double> matrix(detections.size() * G);
  for (std::size_t d = 0; d < detections.size(); ++d)
    for (std::size_t g = 0; g < G; ++g)
      matrix[d * G + g] = params.iou_type == IouType::bbox
                              ? iou(detections[d]->box, truths[g]->box, truths[g]->crowd)
                              : oks(*detections[d], *truths[g], params.sigmas);
  return matrix;
}

AreaMatch match(const std::vector<const Detection*>& detections,
                const std::vector<const TruthObject*>& truths,
                const std::vector<double>& similarities, const AreaRange& range,
                const Params& params) {
  const std::size_t G = truths.size(), D = detections.size();
  const std::size_t T = params.iou_thresholds.size();
  AreaMatch result;
  // Counted truths first, each group in file order (numpy's stable argsort of the flags).
  std::vector<std::size_t> order;
  std::vector<bool> ignored;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t g = 0; g < G; ++g) {
      const bool skip =
          ignored_everywhere(*truths[g], params.iou_type) || outside(truths[g]->area, range);
      if (skip != (pass == 1)) continue;
      order.push_back(g);
      ignored.push_back(skip);
      result.counted_truths += !skip;
    }
  result.outcomes.assign(T * D, Outcome::false_positive);
  std::vector<bool> taken(G);
  for (std::size_t t = 0; t < T; ++t) {
    std::fill(taken.begin(), taken.end(), false);
    for (std::size_t d = 0; d < D; ++d) {
      // No matrix (no truths here): every detection is unmatched.
      const int m = similarities.empty() ? -1
                                         : best_truth(&similarities[d * G], order, ignored, taken,
                                                      truths, params.iou_thresholds[t]);
      Outcome& outcome = result.outcomes[t * D + d];
      if (m < 0) {
        if (outside(detections[d]->area, range)) outcome = Outcome::ignored;
        continue;
      }
      taken[m] = true;
      outcome = ignored[m] ? Outcome::ignored : Outcome::true_positive;
    }
  }
  return result;
}

}  // namespace quarry::detect

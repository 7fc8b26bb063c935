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

// One area range's truths in COCOeval's matching order: counted ones first, each group in file
// order (numpy's stable argsort of the ignore flags), with the similarity matrix's columns
// permuted to that order.
struct Candidates {
  std::vector<char> ignored, crowd;
  std::vector<double> similarity;  // [D x G] in matching order
  std::size_t counted = 0;
};

Candidates candidates(const std::vector<const TruthObject*>& truths,
                      const std::vector<double>& similarities, const AreaRange& range,
                      const Params& params) {
  const std::size_t G = truths.size(), D = G == 0 ? 0 : similarities.size() / G;
  Candidates c;
  std::vector<std::size_t> order;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t g = 0; g < G; ++g) {
      const bool skip =
          ignored_everywhere(*truths[g], params.iou_type) || outside(truths[g]->area, range);
      if (skip != (pass == 1)) continue;
      order.push_back(g);
      c.ignored.push_back(skip);
      c.crowd.push_back(truths[g]->crowd);
      c.counted += !skip;
    }
  c.similarity.resize(similarities.size());
  for (std::size_t d = 0; d < D; ++d)
    for (std::size_t p = 0; p < G; ++p) c.similarity[d * G + p] = similarities[d * G + order[p]];
  return c;
}

// The truth (its position in matching order) COCOeval matches detection d with at threshold t,
// or -1: skipping non-crowd truths already taken, stopping at the ignored truths once a counted
// one matched, keeping the highest similarity >= t (the first of equals).
int best_truth(const Candidates& c, std::size_t d, const std::vector<char>& taken, double t) {
  const std::size_t G = c.ignored.size();
  const double* row = &c.similarity[d * G];
  double best = std::min(t, 1 - 1e-10);
  int chosen = -1;
  for (std::size_t p = 0; p < G; ++p) {
    if (taken[p] && !c.crowd[p]) continue;
    if (chosen > -1 && !c.ignored[chosen] && c.ignored[p]) break;
    if (row[p] < best) continue;
    best = row[p];
    chosen = int(p);
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
  const Candidates c = candidates(truths, similarities, range, params);
  // A detection whose best similarity is below a threshold matches nothing there: no need to
  // walk the truths (no matrix at all where the image has no truths).
  std::vector<double> row_max(D, -1.0);
  std::vector<char> detection_outside(D);
  for (std::size_t d = 0; d < D; ++d) {
    if (!similarities.empty())
      row_max[d] = *std::max_element(&similarities[d * G], &similarities[d * G] + G);
    detection_outside[d] = outside(detections[d]->area, range);
  }
  AreaMatch result;
  result.counted_truths = c.counted;
  result.outcomes.assign(T * D, Outcome::false_positive);
  std::vector<char> taken(G);
  for (std::size_t t = 0; t < T; ++t) {
    std::fill(taken.begin(), taken.end(), 0);
    const double threshold = params.iou_thresholds[t];
    for (std::size_t d = 0; d < D; ++d) {
      const int m =
          row_max[d] < std::min(threshold, 1 - 1e-10) ? -1 : best_truth(c, d, taken, threshold);
      Outcome& outcome = result.outcomes[t * D + d];
      if (m < 0) {
        if (detection_outside[d]) outcome = Outcome::ignored;
        continue;
      }
      taken[m] = 1;
      outcome = c.ignored[m] ? Outcome::ignored : Outcome::true_positive;
    }
  }
  return result;
}

}  // namespace quarry::detect

#include "ingest/objects/annotator_weights.hpp"

#include <algorithm>

#include "ingest/objects/comparison.hpp"
#include "ingest/objects/iou_match.hpp"

namespace quarry::ingest::objects {

AnnotatorWeights equal_weights(std::int32_t annotators) {
  const auto n = static_cast<std::size_t>(annotators);
  return {std::vector<double>(n, 1.0), std::vector<double>(n, 1.0), std::vector<double>(n, 1.0)};
}

namespace {

struct Spread {
  double sum = 0, values = 0;  // squared relative deviations and their count
  void add(double deviation, double scale) {
    sum += (deviation / scale) * (deviation / scale);
    values += 1;
  }
};

// Squared relative deviations of one matched pair: corners into `box`, labelled keypoints into
// `points`.
void add_pair(const DrawnObject& reference, const DrawnObject& drawn, Spread& box, Spread& points) {
  const double w = reference.box[2] - reference.box[0], h = reference.box[3] - reference.box[1];
  for (int c = 0; c < 4; ++c) box.add(drawn.box[c] - reference.box[c], c % 2 == 0 ? w : h);
  for (std::size_t k = 0; 3 * k + 2 < reference.keypoints.size(); ++k) {
    if (reference.keypoints[3 * k + 2] <= 0 || drawn.keypoints[3 * k + 2] <= 0) continue;
    points.add(drawn.keypoints[3 * k] - reference.keypoints[3 * k], w);
    points.add(drawn.keypoints[3 * k + 1] - reference.keypoints[3 * k + 1], h);
  }
}

// 1 / variance, each annotator's shrunk toward the pooled one.
std::vector<double> inverse_variance(const std::vector<Spread>& spread) {
  Spread pooled;
  for (const auto& s : spread) pooled.sum += s.sum, pooled.values += s.values;
  const double prior = pooled.values > 0 ? pooled.sum / pooled.values : kMinVariance;
  std::vector<double> weight;
  for (const auto& s : spread) {
    const double variance = (s.sum + kPriorValues * prior) / (s.values + kPriorValues);
    weight.push_back(1.0 / std::max(variance, kMinVariance));
  }
  return weight;
}

}  // namespace

AnnotatorWeights estimate_weights(const std::vector<ItemAnswers>& items,
                                  const std::vector<std::vector<DrawnObject>>& consensus,
                                  std::int32_t annotators, double iou_threshold) {
  const auto n = static_cast<std::size_t>(annotators);
  std::vector<Comparison> scores(n);
  std::vector<Spread> box(n), points(n);
  std::vector<bool> answered(n, false);
  for (std::size_t i = 0; i < items.size(); ++i)
    for (const auto& answer : items[i].answers) {
      const auto a = static_cast<std::size_t>(answer.annotator);
      answered[a] = true;
      scores[a] += compare(consensus[i], answer.objects, iou_threshold, {});
      for (const auto& pair : match_objects(consensus[i], answer.objects, iou_threshold))
        add_pair(consensus[i][pair.a], answer.objects[pair.b], box[a], points[a]);
    }
  AnnotatorWeights w = equal_weights(annotators);
  for (std::size_t a = 0; a < n; ++a) {
    if (!answered[a]) continue;
    // Agreeing on "nothing here" (no objects on either side) is full agreement.
    const double iou = scores[a].matched > 0 ? scores[a].mean_iou() : (scores[a].f1() >= 1 ? 1 : 0);
    w.reliability[a] = std::max(kMinReliability, scores[a].f1() * iou);
  }
  w.box = inverse_variance(box);
  w.keypoint = inverse_variance(points);
  return w;
}

}  // namespace quarry::ingest::objects

#include "score/detection_acquisition.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "detect/box.hpp"
#include "model/loaded_model.hpp"
#include "score/acquisition.hpp"

namespace quarry::score {

namespace {

torch::Tensor binary_entropy(const torch::Tensor& p) {
  const auto q = p.clamp(1e-7, 1 - 1e-7);
  return -(q * torch::log(q) + (1 - q) * torch::log1p(-q));
}

// Applies a function of [N,C] rows to [B,D,C], giving [B,D].
torch::Tensor per_slot(const torch::Tensor& probs, torch::Tensor (*f)(const torch::Tensor&)) {
  const auto b = probs.size(0), d = probs.size(1);
  return f(probs.reshape({b * d, probs.size(2)})).reshape({b, d});
}

detect::Box box_at(const torch::TensorAccessor<float, 3>& boxes, std::int64_t row,
                   std::int64_t slot) {
  return detect::from_corners(boxes[row][slot][0], boxes[row][slot][1], boxes[row][slot][2],
                              boxes[row][slot][3]);
}

}  // namespace

std::vector<std::int64_t> kept_in_order(const float* weights, std::int64_t slots) {
  std::vector<std::int64_t> kept;
  for (std::int64_t j = 0; j < slots; ++j)
    if (weights[j] > 0) kept.push_back(j);
  std::stable_sort(kept.begin(), kept.end(),
                   [&](auto a, auto b) { return weights[a] > weights[b]; });
  return kept;
}

torch::Tensor aggregate(const torch::Tensor& per_detection, const torch::Tensor& weights,
                        Aggregation how) {
  const auto weighted = per_detection * weights;
  switch (how) {
    case Aggregation::max:
      return std::get<0>(weighted.max(1));
    case Aggregation::sum:
      return weighted.sum(1);
    case Aggregation::mean:
      return weighted.sum(1) / weights.sum(1).clamp_min(1e-12);
  }
  return weighted.sum(1);
}

torch::Tensor detection_margin(const torch::Tensor& probs) {
  return per_slot(probs, &margin);
}

torch::Tensor detection_entropy(const torch::Tensor& probs) {
  return per_slot(probs, &entropy);
}

torch::Tensor keypoint_uncertainty(const torch::Tensor& keypoints) {
  return (1 - keypoints.select(3, 2).clamp(0, 1)).mean(2);
}

torch::Tensor heatmap_entropy(const torch::Tensor& heatmaps) {
  return binary_entropy(heatmaps).flatten(1).mean(1);
}

torch::Tensor heatmap_bald(const torch::Tensor& samples) {
  const auto information = binary_entropy(samples.mean(0)) - binary_entropy(samples).mean(0);
  return information.flatten(1).mean(1);
}

torch::Tensor localization_instability(const torch::Tensor& boxes, const torch::Tensor& weights,
                                       const torch::Tensor& flipped_boxes,
                                       const torch::Tensor& flipped_weights) {
  const auto b = boxes.accessor<float, 3>(), fb = flipped_boxes.accessor<float, 3>();
  const auto w = weights.accessor<float, 2>();
  const auto slots = weights.size(1);
  auto result = torch::zeros({boxes.size(0)});
  auto out = result.accessor<float, 1>();
  for (std::int64_t row = 0; row < boxes.size(0); ++row) {
    const auto mine = kept_in_order(weights.data_ptr<float>() + row * slots, slots);
    const auto theirs = kept_in_order(flipped_weights.data_ptr<float>() + row * slots, slots);
    std::vector<bool> used(theirs.size(), false);
    double overlap = 0, total = 0;
    for (auto slot : mine) {
      double best = 0;
      std::size_t best_at = theirs.size();
      for (std::size_t k = 0; k < theirs.size(); ++k) {
        if (used[k]) continue;
        const double iou = detect::iou(box_at(b, row, slot), box_at(fb, row, theirs[k]));
        if (iou > best) best = iou, best_at = k;
      }
      if (best_at < theirs.size()) used[best_at] = true;
      overlap += w[row][slot] * best;
      total += w[row][slot];
    }
    out[row] = total > 0 ? static_cast<float>(1 - overlap / total) : 0.0f;
  }
  return result;
}

namespace {

template <Aggregation how>
torch::Tensor margin_of(const DetectionBatch& d) {
  return aggregate(detection_margin(d.probs), d.weights, how);
}
template <Aggregation how>
torch::Tensor entropy_of(const DetectionBatch& d) {
  return aggregate(detection_entropy(d.probs), d.weights, how);
}
template <Aggregation how>
torch::Tensor keypoints_of(const DetectionBatch& d) {
  return aggregate(keypoint_uncertainty(d.keypoints), d.weights, how);
}

}  // namespace

DetectionFunction detection_function_of(Acquisition acquisition) {
  using enum Aggregation;
  switch (acquisition) {
    case Acquisition::margin:
    case Acquisition::entropy:
    case Acquisition::least_confidence:
    case Acquisition::bald:
    case Acquisition::variation_ratio:
      return nullptr;  // classification: engine.cpp
    case Acquisition::det_margin_max:
      return &margin_of<max>;
    case Acquisition::det_margin_mean:
      return &margin_of<mean>;
    case Acquisition::det_margin_sum:
      return &margin_of<sum>;
    case Acquisition::det_entropy_max:
      return &entropy_of<max>;
    case Acquisition::det_entropy_mean:
      return &entropy_of<mean>;
    case Acquisition::det_entropy_sum:
      return &entropy_of<sum>;
    case Acquisition::det_keypoint_max:
      return &keypoints_of<max>;
    case Acquisition::det_keypoint_mean:
      return &keypoints_of<mean>;
    case Acquisition::det_keypoint_sum:
      return &keypoints_of<sum>;
    case Acquisition::det_heatmap_entropy:
      return [](const DetectionBatch& d) { return heatmap_entropy(d.heatmaps); };
    case Acquisition::det_heatmap_bald:
      return [](const DetectionBatch& d) { return heatmap_bald(d.heatmap_samples); };
    case Acquisition::det_localization:
      return [](const DetectionBatch& d) { return d.localization; };
  }
  return nullptr;
}

std::string missing_model_output(const std::string& acquisition,
                                 const model::DetectionLayout& layout) {
  const std::string name = acquisition;
  if ((name.starts_with("det_margin") || name.starts_with("det_entropy")) && !layout.probs)
    return "probs [B,D,C]";
  if (name.starts_with("det_heatmap") && !layout.heatmaps) return "heatmaps";
  if (name.starts_with("det_keypoint") && !layout.keypoints) return "keypoints [B,D,K,3]";
  return {};
}

}  // namespace quarry::score

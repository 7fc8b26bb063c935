#pragma once
// CenterNet's training losses on a detection model's raw heads (the module's `heads` method):
// penalty-reduced focal loss (alpha 2, beta 4) on the centre and keypoint heatmaps, L1 on box
// size (weight 0.1) and centre offset (weight 1), L1 on keypoint offsets (weight 1), each
// object's terms scaled by its weight. Includes torch: only train/ uses this header.
#include <torch/torch.h>

#include <string>

#include "train/detection_targets.hpp"

namespace quarry::train {

// The raw training outputs of `heads(x)` (h = H / 4, w = W / 4).
struct DetectionHeads {
  torch::Tensor center;            // logits [B, C, h, w]
  torch::Tensor size;              // [B, 2, h, w] box width and height, input pixels
  torch::Tensor offset;            // [B, 2, h, w] centre offset, cells
  torch::Tensor keypoint_heatmap;  // logits [B, K, h, w]; undefined for detect pools
  torch::Tensor keypoint_offset;   // [B, 2K, h, w]; undefined for detect pools
};

// Reads the dict `heads` returned and checks it against `shape` for `items` inputs: InputError
// naming `model` and the key when one is missing or its shape is wrong.
DetectionHeads parse_heads(const c10::IValue& value, const TargetShape& shape, std::int64_t items,
                           const std::string& model);

struct LossWeights {
  double size = 0.1, offset = 1.0, keypoint = 1.0, keypoint_offset = 1.0;
};

struct DetectionLoss {
  torch::Tensor total;  // scalar, what backward runs on
  double center = 0, size = 0, offset = 0, keypoint = 0, keypoint_offset = 0;  // unweighted
};

// Penalty-reduced focal loss (CenterNet's _neg_loss) summed over cells with `weight` per cell,
// divided by `normaliser`: -(1-p)^2 log p at cells where target is 1, -(1-target)^4 p^2 log(1-p)
// elsewhere, with p = sigmoid(logits) (log-sigmoid for the logs, so no clamp is needed).
torch::Tensor focal_loss(const torch::Tensor& logits, const torch::Tensor& target,
                         const torch::Tensor& weight, double normaliser);

// The loss of a rank's share of a global batch; `targets` normalisers are the global batch's, so
// summing the ranks' losses gives the loss of the whole batch on one rank.
DetectionLoss detection_loss(const DetectionHeads& heads, const DetectionTargets& targets,
                             const LossWeights& weights = {});

}  // namespace quarry::train

#pragma once
// Acquisition functions for pools with objects: an image's detections reduced to one
// informativeness score (higher = more informative), as classification's score/acquisition.hpp
// does for one prediction. docs/score.md "Detection scores" says what each measures and why.
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "files/scores/acquisitions.hpp"

namespace quarry::model {
struct DetectionLayout;
}

namespace quarry::score {

// One batch's detections (its real rows, B of them, D slots each) as the functions read them.
struct DetectionBatch {
  // [B,D]: a detection's confidence where it is kept (at least the confidence floor), else 0.
  // Every per-detection uncertainty is weighted by it, so a barely-kept detection counts little
  // and an empty slot not at all.
  torch::Tensor weights;
  torch::Tensor probs;            // [B,D,C] class probabilities; undefined where the model has none
  torch::Tensor keypoints;        // [B,D,K,3] x, y, confidence; keypoint pools
  torch::Tensor heatmaps;         // [B,...] the model's dense maps in [0,1]; undefined if none
  torch::Tensor heatmap_samples;  // [T,B,...] the same under T Monte-Carlo dropout passes
  torch::Tensor localization;     // [B] localization_instability, when asked for
};

// The kept slots of one image (weights > 0, `slots` of them), most confident first; ties keep
// slot order.
std::vector<std::int64_t> kept_in_order(const float* weights, std::int64_t slots);

enum class Aggregation { max, mean, sum };

// Per image from per detection [B,D] under `weights` w: max_d w u, sum_d w u, or the weighted
// mean sum_d w u / sum_d w (0 for an image without kept detections).
torch::Tensor aggregate(const torch::Tensor& per_detection, const torch::Tensor& weights,
                        Aggregation how);

// Per detection [B,D]: 1 - (p_top1 - p_top2) and the entropy of its class probabilities.
torch::Tensor detection_margin(const torch::Tensor& probs);
torch::Tensor detection_entropy(const torch::Tensor& probs);
// Per detection [B,D]: the mean over keypoints of 1 - the keypoint's peak confidence.
torch::Tensor keypoint_uncertainty(const torch::Tensor& keypoints);
// Per image [B]: the mean binary entropy of the heatmaps' cells (nats).
torch::Tensor heatmap_entropy(const torch::Tensor& heatmaps);
// Per image [B]: the mean over cells of the Bernoulli BALD, H(mean_t p) - mean_t H(p_t).
torch::Tensor heatmap_bald(const torch::Tensor& samples);

// Per image [B] (Kao et al. 2018, with a horizontal flip as the perturbation): 1 - the weighted
// mean IoU between each kept detection of the image and the kept detection of the flipped image
// (boxes mapped back) it matches. Matching is greedy, most confident first, each flipped
// detection used once, any class; an unmatched detection has IoU 0. 0 for an image without kept
// detections. Host float32 tensors, contiguous: boxes [B,D,4] (x0,y0,x1,y1), weights [B,D].
torch::Tensor localization_instability(const torch::Tensor& boxes, const torch::Tensor& weights,
                                       const torch::Tensor& flipped_boxes,
                                       const torch::Tensor& flipped_weights);

using DetectionFunction = torch::Tensor (*)(const DetectionBatch&);
// The function behind a det_* name; nullptr for classification's names.
DetectionFunction detection_function_of(Acquisition acquisition);

// Empty when the model's output holds what `acquisition` reads, else what is missing
// ("probs [B,D,C]"): det_margin_* and det_entropy_* read probs, det_heatmap_* heatmaps.
std::string missing_model_output(const std::string& acquisition,
                                 const model::DetectionLayout& layout);

}  // namespace quarry::score

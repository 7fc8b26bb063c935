#pragma once
// Acquisition functions: pure functions from class probabilities to one informativeness score per
// item. Higher always means more informative (a better candidate for labeling).
#include <torch/types.h>

namespace quarry::score {

// probs: [B, C], rows summing to 1. Each returns [B] float32.
torch::Tensor least_confidence(const torch::Tensor& probs);  // 1 - max_c p
torch::Tensor margin(const torch::Tensor& probs);            // 1 - (p_top1 - p_top2)
torch::Tensor entropy(const torch::Tensor& probs);           // -sum_c p log p (nats)

// Monte-Carlo dropout: samples [T, B, C] from T stochastic passes.
// BALD: mutual information between prediction and parameters,
//   H(mean_t p_t) - mean_t H(p_t)  (Houlsby et al. 2011; Gal et al. 2017).
torch::Tensor bald(const torch::Tensor& samples);
// 1 - (passes voting for the modal class) / T  (Freeman 1965).
torch::Tensor variation_ratio(const torch::Tensor& samples);

}  // namespace quarry::score

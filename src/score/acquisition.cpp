#include "score/acquisition.hpp"

#include <torch/torch.h>

namespace quarry::score {

namespace {
// p log p with 0 log 0 = 0, along the last dimension.
torch::Tensor entropy_last_dim(const torch::Tensor& probs) {
  return -(probs * torch::log(probs.clamp_min(1e-12))).sum(-1);
}
}  // namespace

torch::Tensor least_confidence(const torch::Tensor& probs) {
  return 1 - std::get<0>(probs.max(1));
}

torch::Tensor margin(const torch::Tensor& probs) {
  if (probs.size(1) < 2) return torch::zeros({probs.size(0)}, probs.options());
  auto top = std::get<0>(probs.topk(2, 1));
  return 1 - (top.select(1, 0) - top.select(1, 1));
}

torch::Tensor entropy(const torch::Tensor& probs) {
  return entropy_last_dim(probs);
}

torch::Tensor bald(const torch::Tensor& samples) {
  return entropy_last_dim(samples.mean(0)) - entropy_last_dim(samples).mean(0);
}

torch::Tensor variation_ratio(const torch::Tensor& samples) {
  const auto passes = samples.size(0), classes = samples.size(2);
  auto votes = torch::one_hot(samples.argmax(2), classes).sum(0);  // [B, C]
  return 1 - std::get<0>(votes.max(1)).to(torch::kFloat32) / float(passes);
}

}  // namespace quarry::score

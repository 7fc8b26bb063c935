#pragma once
// FixMatch's targets for unlabeled items (Sohn et al. 2020): the weak view's prediction becomes
// the strong view's target where its probability reaches the threshold (0.95 in the paper);
// elsewhere the item adds no loss. Torch-free.
#include <cstdint>
#include <span>
#include <vector>

namespace quarry::train {

struct PseudoLabels {
  std::vector<std::int64_t> target;  // argmax of the weak view's probabilities
  std::vector<float> mask;           // 1 where the max probability >= threshold, else 0
  std::size_t confident = 0;         // items with mask 1
};

// `probs` [n, classes], the weak views' softmax.
PseudoLabels pseudo_labels(std::span<const float> probs, std::size_t classes, double threshold);

}  // namespace quarry::train

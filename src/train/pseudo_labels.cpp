#include "train/pseudo_labels.hpp"

#include <algorithm>

namespace quarry::train {

PseudoLabels pseudo_labels(std::span<const float> probs, std::size_t classes, double threshold) {
  PseudoLabels out;
  const std::size_t n = classes ? probs.size() / classes : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = probs.subspan(i * classes, classes);
    const auto best = std::max_element(row.begin(), row.end());
    out.target.push_back(std::int64_t(best - row.begin()));
    // In the probabilities' precision: 0.95f is below the double 0.95.
    const bool confident = *best >= float(threshold);
    out.mask.push_back(confident ? 1.0f : 0.0f);
    out.confident += confident;
  }
  return out;
}

}  // namespace quarry::train

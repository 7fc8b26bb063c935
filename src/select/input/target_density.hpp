#pragma once
// --target-pool (domain-aware selection): candidates near the target domain's embeddings count
// more. weight = exp(-d^2 / (2 s^2)), with d the distance to the nearest target embedding and s^2
// the target set's mean squared distance to its own centroid (its spread), clamped below at
// 1e-6 so no item is weighted out entirely. Strategies multiply acquisition values, distances
// (kcenter) or sampling weights (random, badge) by it.
#include <filesystem>
#include <vector>

#include "select/input/shard.hpp"

namespace quarry::select {

// Per local row of `shard` (embeddings loaded). InputError when the target file is not a scores
// file, has no embeddings, another embedding size, or non-finite values.
std::vector<float> target_weights(const Shard& shard, const std::filesystem::path& target);

}  // namespace quarry::select

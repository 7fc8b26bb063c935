#pragma once
// BADGE (Ash et al. 2020): k-means++ seeding over gradient embeddings g = (p - onehot(pred)) ⊗ h,
// never materialised: ||g_i - g_j||^2 = |a_i|^2 |h_i|^2 + |a_j|^2 |h_j|^2 - 2 (a_i.a_j)(h_i.h_j)
// with a = p - onehot(pred). The first pick is the largest gradient norm (ties by id); each
// later pick is a D^2 draw, done exactly across ranks as an exponential race: every item draws
// E = -log(u(seed, id, step)) and the largest D^2 / E wins (that is D^2 sampling, without a
// global sum whose rounding would depend on the rank count).
#include <cstdint>
#include <vector>

#include "select/strategies/picks.hpp"

namespace quarry::select {

// Collective. Needs the shard's embeddings and probabilities. `weight` (optional, per local row)
// multiplies D^2 (and the squared norm that chooses the first pick). Reason: the pick's
// gradient-space distance to the nearest earlier pick (its gradient norm for the first); objective:
// the largest such distance left after k picks.
PickList badge(const comm::Communicator& comm, const Shard& shard,
               const std::vector<std::uint32_t>& candidates, std::size_t k, std::uint64_t seed,
               const std::vector<float>& weight);

}  // namespace quarry::select

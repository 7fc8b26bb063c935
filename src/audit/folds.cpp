#include "audit/folds.hpp"

#include <algorithm>
#include <numeric>

#include "core/seeded.hpp"

namespace quarry::audit {

std::vector<int> assign_folds(const std::vector<std::uint64_t>& ids, int folds,
                              std::uint64_t seed) {
  const auto stream = derive_seed(seed, Purpose::confident_folds);
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto ha = keyed_hash(stream, ids[a]), hb = keyed_hash(stream, ids[b]);
    return ha != hb ? ha < hb : ids[a] < ids[b];
  });
  std::vector<int> fold(ids.size(), 0);
  for (std::size_t i = 0; i < order.size(); ++i) fold[order[i]] = int(i % std::size_t(folds));
  return fold;
}

}  // namespace quarry::audit

#include "select/strategies/balance.hpp"

#include <algorithm>

namespace quarry::select {

std::vector<std::size_t> class_quotas(const std::vector<std::uint64_t>& available, std::size_t k) {
  std::vector<std::size_t> quota(available.size(), 0);
  std::vector<bool> capped(available.size(), false);
  std::size_t remaining = k;
  // Water-filling: classes that cannot take an equal share are capped at what they have.
  for (bool changed = true; changed;) {
    changed = false;
    std::size_t open = 0;
    for (std::size_t c = 0; c < available.size(); ++c) open += !capped[c];
    if (open == 0) break;
    const std::size_t share = remaining / open;
    for (std::size_t c = 0; c < available.size(); ++c)
      if (!capped[c] && available[c] <= share) {
        quota[c] = available[c], capped[c] = true, remaining -= available[c], changed = true;
      }
  }
  std::size_t open = 0;
  for (std::size_t c = 0; c < available.size(); ++c) open += !capped[c];
  if (open == 0) return quota;
  const std::size_t share = remaining / open;
  std::size_t extra = remaining % open;
  for (std::size_t c = 0; c < available.size(); ++c)
    if (!capped[c]) {
      quota[c] = share + (extra > 0 ? 1 : 0);
      if (extra > 0) --extra;
    }
  return quota;
}

PickList balanced(const comm::Communicator& comm, const Shard& shard,
                  const std::vector<std::uint32_t>& candidates, std::size_t k,
                  const StrategyRun& run) {
  const std::size_t classes = shard.meta.classes;
  std::vector<std::vector<std::uint32_t>> by_class(classes);
  std::vector<std::uint64_t> available(classes, 0);
  for (const auto row : candidates) {
    const auto c = shard.pred[row];
    if (c >= 0 && std::size_t(c) < classes) by_class[std::size_t(c)].push_back(row);
  }
  for (std::size_t c = 0; c < classes; ++c) available[c] = by_class[c].size();
  comm.allreduce(std::span(available), comm::Op::sum);
  const auto quota = class_quotas(available, k);

  std::vector<PickList> per_class;
  PickList result;
  for (std::size_t c = 0; c < classes; ++c) {
    per_class.push_back(quota[c] ? run(by_class[c], quota[c]) : PickList{});
    result.objective = std::max(result.objective, per_class.back().objective);
    if (!per_class.back().reason_meaning.empty())
      result.reason_meaning = per_class.back().reason_meaning;
  }
  for (std::size_t round = 0; result.picks.size() < k; ++round) {
    bool any = false;
    for (const auto& list : per_class)
      if (round < list.picks.size()) result.picks.push_back(list.picks[round]), any = true;
    if (!any) break;
  }
  return result;
}

}  // namespace quarry::select

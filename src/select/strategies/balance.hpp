#pragma once
// --balance: spread the batch over predicted classes. Each class gets an equal share of k (a class
// with fewer eligible items gives its unused share to the others), the strategy runs once per
// class on that class's candidates, and the picks are interleaved class by class (round r holds
// every class's r-th pick, in class order).
#include <cstdint>
#include <functional>
#include <vector>

#include "select/strategies/picks.hpp"

namespace quarry::select {

// Quotas summing to min(k, sum(available)), as equal as the availabilities allow; leftover units
// go to the lowest class indices.
std::vector<std::size_t> class_quotas(const std::vector<std::uint64_t>& available, std::size_t k);

using StrategyRun =
    std::function<PickList(const std::vector<std::uint32_t>& candidates, std::size_t k)>;

// Collective. The objective is the largest of the per-class objectives.
PickList balanced(const comm::Communicator& comm, const Shard& shard,
                  const std::vector<std::uint32_t>& candidates, std::size_t k,
                  const StrategyRun& run);

}  // namespace quarry::select

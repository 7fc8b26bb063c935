#pragma once
// Strategies that rank items independently: the k highest keys over all ranks, ties by id.
#include <cstdint>
#include <vector>

#include "select/strategies/picks.hpp"

namespace quarry::select {

// `random`: a uniform draw per (seed, id); with weights, weighted sampling without replacement
// (Efraimidis-Spirakis keys log(u)/w). Reason: the draw u.
PickList random_picks(const comm::Communicator& comm, const Shard& shard,
                      const std::vector<std::uint32_t>& candidates, std::size_t k,
                      std::uint64_t seed, const std::vector<float>& weight);

// `topk`: the highest acquisition values (times the weight, when given). Reason: the ranking key.
PickList top_acquisition(const comm::Communicator& comm, const Shard& shard,
                         const std::vector<std::uint32_t>& candidates, std::size_t k,
                         const std::vector<float>& weight);

// The local rows among `candidates` whose ids are in the global top `m` by acquisition (times
// the weight): the uncertainty pre-filter of margin-kcenter and cluster-margin.
std::vector<std::uint32_t> top_acquisition_rows(const comm::Communicator& comm, const Shard& shard,
                                                const std::vector<std::uint32_t>& candidates,
                                                std::size_t m, const std::vector<float>& weight);

}  // namespace quarry::select

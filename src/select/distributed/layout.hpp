#pragma once
// The rank layout of a selection stage. A greedy stage synchronises its ranks many times, and on
// a small pool each synchronisation costs more than the rows it spreads save: k-center on 100,000
// x 128 took 0.53 s on 2 ranks against 0.36 s on 1. So a stage whose rows are few runs on rank 0
// alone (it reads the pool from the scores file itself, the others wait asleep) and broadcasts
// its picks; a large one runs on every rank. Either way
// the picks are those of a single-rank run (every strategy is rank-count independent), so the
// rule changes speed only.
#include <cstdint>
#include <functional>
#include <vector>

#include "select/strategies/picks.hpp"

namespace quarry::select {

// Below this many bytes of fp16 embeddings a pool or a stage runs on one rank (measured in
// docs/select.md; QUARRY_GATHER_BYTES overrides it, for benchmarks).
inline constexpr std::uint64_t kGatherBytes = 64ull << 20;
bool runs_alone(const comm::Communicator& comm, std::uint64_t rows, std::size_t dim);

// Collective: `body` runs on rank 0 while the other ranks wait asleep, polling every millisecond
// (a blocking MPI call spins, and on a shared node the spinning takes the core rank 0 works on);
// an error it raises is raised on every rank.
void on_root_asleep(const comm::Communicator& comm, const std::function<void()>& body);

// A stage over `rows` of `shard` with per-row `weight` (empty or one per shard row).
using Stage = std::function<PickList(const comm::Communicator& comm, const Shard& shard,
                                     const std::vector<std::uint32_t>& rows,
                                     const std::vector<float>& weight)>;

// Collective: runs `stage` on every rank, or on the candidates gathered to rank 0 when their
// embeddings total less than the threshold; every rank returns the same picks.
PickList run_stage(const comm::Communicator& comm, const Shard& shard,
                   const std::vector<std::uint32_t>& candidates, const std::vector<float>& weight,
                   const Stage& stage);

}  // namespace quarry::select

#pragma once
// The few reductions every strategy needs, all rank-count independent: the best candidate over
// ranks (ties by item id) and the global top-m of ranked candidates.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "comm/communicator.hpp"

namespace quarry::select {

// A candidate ranked by key (higher first), ties broken by the lower item id.
struct Ranked {
  double key = -std::numeric_limits<double>::infinity();
  std::uint64_t id = std::numeric_limits<std::uint64_t>::max();
  bool valid() const { return id != std::numeric_limits<std::uint64_t>::max(); }
};
inline bool ranks_before(const Ranked& a, const Ranked& b) {
  return a.key > b.key || (a.key == b.key && a.id < b.id);
}

struct Winner {
  Ranked best;
  int rank = -1;  // the rank holding it; -1 when no rank had a valid candidate
};

// The best of every rank's local best (collective).
Winner agree_best(const comm::Communicator& comm, const Ranked& local_best);

// The same in one collective for greedy loops: each rank also offers what the winner must tell
// everyone (same size on every rank; contents ignored unless it wins), and `winner_payload`
// receives the winner's. One allgather per step instead of an agreement and a broadcast.
Winner agree_best(const comm::Communicator& comm, const Ranked& local_best,
                  std::span<const std::uint8_t> payload, std::span<std::uint8_t> winner_payload);

// The global first `m` of all ranks' candidates in rank order (collective). Each rank passes its
// own candidates (any order); the answer is the same on every rank.
std::vector<Ranked> global_top(const comm::Communicator& comm, std::vector<Ranked> local,
                               std::size_t m);

}  // namespace quarry::select

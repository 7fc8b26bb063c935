#pragma once
// Exact distributed k-center greedy (farthest-first traversal, the core-set of Sener & Savarese):
// each step every rank finds its farthest candidate, the ranks agree on (distance, item id) with
// ties going to the lower id, the winner broadcasts its embedding, and every rank lowers its
// candidates' distances to the nearest center. The same picks for any rank count.
//
// Candidates are kept in Voronoi cells of the centers: a cell whose center is at least twice the
// cell's radius away from the new center cannot move (triangle inequality) and is skipped whole.
// Inside the cells that remain, rows are ruled out from a compact int8 copy (kernels/compact.hpp)
// before their fp16 values are read: half the bytes where the cells do not prune.
#include <cstdint>
#include <vector>

#include "select/strategies/picks.hpp"

namespace quarry::select {

struct KCenterSpec {
  std::size_t k = 0;
  std::uint64_t seed = 0;
  std::vector<std::uint32_t> candidates;  // local rows that may be picked
  // fp16 [s, dim], identical on every rank: items already covered (labeled or pending). With
  // none, the first pick is the candidate with the smallest seeded draw item_uniform(seed, id)
  // (with weights, the smallest -log(1 - u) / weight).
  std::vector<Float16> covered;
  // Optional, per local row: picks maximise weight * distance (domain-aware selection).
  std::vector<float> weight;
  // The int8 bounds before the exact distances (the same picks either way; off for comparisons,
  // or with QUARRY_KCENTER_COMPACT=off).
  bool compact = true;
};

// Collective. Reason: the pick's distance to its nearest earlier center (inf for a first pick
// with nothing covered); objective: the covering radius of the candidates left after k picks.
PickList kcenter(const comm::Communicator& comm, const Shard& shard, const KCenterSpec& spec);

}  // namespace quarry::select

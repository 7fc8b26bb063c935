#pragma once
// TypiClust (Hacohen, Dekel and Weinshall 2022, "Active learning on a budget: opposite
// strategies suit high and low budgets"): for a cold start, cluster the pool's embeddings into k
// clusters (the k-means of kmeans.hpp) and label the most typical item of each, typicality being
// the inverse mean distance to the item's nearest neighbours inside its cluster. Typical items of
// distinct clusters are what a few labels should cover first; uncertainty helps only later.
#include <cstdint>
#include <span>
#include <vector>

#include "select/strategies/picks.hpp"

namespace quarry::select {

// The paper's neighbour count.
inline constexpr std::size_t kTypicalityNeighbours = 20;
// Members per cluster the typicality is computed among: the ones with the smallest seeded hash of
// their id (exact for clusters up to this size; a sample of larger ones keeps the gathered
// embeddings at clusters x this x dim whatever the pool's size).
inline constexpr std::size_t kTypicalitySample = 256;

// Typicality of each of `n` rows of `embeddings` [n, dim] among themselves: 1 / the mean
// Euclidean distance to its min(neighbours, n - 1) nearest other rows (a lone row: 0).
std::vector<double> typicality(std::span<const Float16> embeddings, std::size_t n, std::size_t dim,
                               std::size_t neighbours = kTypicalityNeighbours);

// Collective. k-means into min(k, items) clusters over every row of the shard; then, from the
// largest cluster down, each cluster's most typical candidate, round-robin until k are picked
// (the next most typical of each when k exceeds the clusters with candidates). Every rank
// returns the same picks, the same for any rank count. Reason: typicality; objective: the
// clusters the batch covers.
PickList typiclust(const comm::Communicator& comm, const Shard& shard,
                   const std::vector<std::uint32_t>& candidates, std::size_t k, std::uint64_t seed);

}  // namespace quarry::select

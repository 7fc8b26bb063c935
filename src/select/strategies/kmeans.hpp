#pragma once
// Distributed k-means over the embeddings: k-means|| seeding (Bahmani et al. 2012: a few rounds
// of independent oversampling, then weighted k-means++ over the sample) and Lloyd iterations
// with an all-reduce of per-cluster sums and counts. Every random choice is a seeded draw per
// item id, sampling probabilities use an exact fixed-point total, and sums are exact integers
// (every fp16 value is a multiple of 2^-24), so the clustering is the same for any rank count.
#include <cstdint>
#include <vector>

#include "select/input/shard.hpp"

namespace quarry::select {

struct Clustering {
  std::size_t clusters = 0;
  std::vector<Float16> centroids;        // [clusters, dim]
  std::vector<std::int32_t> assignment;  // per local row
  int iterations = 0;                    // Lloyd iterations run
};

// Collective. `clusters` must not exceed the item count. `bounds`: Lloyd with Hamerly's bounds
// (kmeans_lloyd.hpp; the same result, false only to compare).
Clustering kmeans(const comm::Communicator& comm, const Shard& shard, std::size_t clusters,
                  std::uint64_t seed, int max_iterations = 10, bool bounds = true);

// Collective: Lloyd iterations from an earlier clustering of the same items (its centroids,
// identical on every rank, and its assignment of this rank's rows; -1 where unknown), a warm
// start: when the embeddings moved little, one assignment pass instead of seeding and several.
Clustering kmeans_from(const comm::Communicator& comm, const Shard& shard, Clustering start,
                       int max_iterations = 10, bool bounds = true);

}  // namespace quarry::select

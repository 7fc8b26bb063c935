#pragma once
// Cluster-Margin (Citovsky et al. 2021): cluster the pool's embeddings once per model (k-means,
// cached next to the scores file), take the M most uncertain candidates, and pick round-robin
// across their clusters, smallest cluster first; inside a cluster the most uncertain first.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "select/strategies/kmeans.hpp"
#include "select/strategies/picks.hpp"

namespace quarry::select {

// SCORES.clusters.h5: /ids uint64 [N], /cluster int32 [N], /centroids float16 [K, D];
// attributes quarry_format="clusters/1", clusters, seed, model_sha256, items.
std::filesystem::path cluster_cache_path(const std::filesystem::path& scores);

// Collective: the cached clustering when its attributes match (same model, item count, cluster
// count and seed), otherwise k-means, published to the cache by rank 0 (atomically). K-means
// starts warm from the cache when it was made for another model, else from `warm` (an earlier
// round's cache) when that fits the same items, cluster count and seed, else cold.
Clustering cached_clustering(const comm::Communicator& comm, const Shard& shard,
                             const std::filesystem::path& scores, std::size_t clusters,
                             std::uint64_t seed,
                             const std::optional<std::filesystem::path>& warm = std::nullopt);

// The cluster count used when none is given: about sqrt(N), between 2 and 1000.
std::size_t default_cluster_count(std::uint64_t items);

// Collective. Reason: the pick's cluster; objective: the number of clusters in the batch.
PickList cluster_margin(const comm::Communicator& comm, const Shard& shard,
                        const Clustering& clustering, const std::vector<std::uint32_t>& candidates,
                        std::size_t k, std::size_t m, const std::vector<float>& weight);

}  // namespace quarry::select

#include "select/strategies/kmeans.hpp"

#include <algorithm>
#include <cmath>

#include "core/seeded.hpp"
#include "select/distributed/agree.hpp"
#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"
#include "select/strategies/kmeans_lloyd.hpp"
#include "select/strategies/picks.hpp"

namespace quarry::select {

namespace {

constexpr int kSeedingRounds = 5;
constexpr double kFixedScale = 1099511627776.0;  // 2^40: squared distances as exact integers

// Streams of the seeded draws, so no two uses share a draw.
constexpr std::uint64_t kFirstStream = 0x6b6d0000, kRoundStream = 0x6b6d1000,
                        kPlusPlusStream = 0x6b6d2000;

// Lowers d2 to the nearest of `centers` for every row.
void lower_distances(const Shard& shard, const std::vector<Float16>& centers,
                     std::vector<float>& d2) {
  std::vector<std::uint32_t> nearest(shard.size());
  std::vector<float> to_new(shard.size());
  nearest_centers(shard.embeddings, centers, shard.dim(), nearest, to_new);
  for (std::size_t row = 0; row < shard.size(); ++row) d2[row] = std::min(d2[row], to_new[row]);
}

// Weighted k-means++ over the oversampled candidates (the same on every rank).
std::vector<Float16> plus_plus(const std::vector<Float16>& sample,
                               const std::vector<std::uint64_t>& sample_ids,
                               const std::vector<std::uint64_t>& weight, std::size_t clusters,
                               std::size_t dim, std::uint64_t seed) {
  const std::size_t m = sample_ids.size();
  const auto& kernels = distance_kernels();
  std::vector<double> d2(m, INFINITY);
  std::vector<bool> chosen(m, false);
  std::vector<Float16> centroids;
  std::vector<float> center(dim), to_center(m);
  for (std::size_t step = 0; step < clusters && step < m; ++step) {
    Ranked best;
    std::size_t at = 0;
    for (std::size_t i = 0; i < m; ++i) {
      if (chosen[i]) continue;
      const double mass = double(weight[i]) * (step == 0 ? 1.0 : d2[i]);
      const double key =
          mass / -std::log(keyed_uniform(seed, sample_ids[i], kPlusPlusStream + step));
      if (ranks_before({key, sample_ids[i]}, best)) best = {key, sample_ids[i]}, at = i;
    }
    chosen[at] = true;
    centroids.insert(centroids.end(), sample.begin() + long(at * dim),
                     sample.begin() + long((at + 1) * dim));
    kernels.widen(sample.data() + at * dim, dim, center.data());
    kernels.sq_dist_block(sample.data(), dim, m, center.data(), to_center.data());
    for (std::size_t i = 0; i < m; ++i) d2[i] = std::min(d2[i], double(to_center[i]));
  }
  return centroids;
}

// A k-means|| sample: embeddings (fp16, identical on every rank) with their item ids.
struct Sample {
  std::vector<Float16> embeddings;
  std::vector<std::uint64_t> ids;
};

// Collective: the first center of k-means||, the item with the smallest seeded draw.
Sample first_center(const comm::Communicator& comm, const Shard& shard, std::uint64_t seed) {
  Ranked first;
  std::uint32_t first_row = 0;
  for (std::uint32_t row = 0; row < shard.size(); ++row) {
    const Ranked mine{-keyed_uniform(seed, shard.ids[row], kFirstStream), shard.ids[row]};
    if (ranks_before(mine, first)) first = mine, first_row = row;
  }
  const Winner winner = agree_best(comm, first);
  std::vector<std::uint32_t> mine_first;
  if (winner.rank == comm.rank()) mine_first.push_back(first_row);
  return {gather_embeddings(comm, shard, mine_first), {winner.best.id}};
}

// Collective: k-means|| oversampling. Each round samples every item on its own with probability
// min(1, l * d2 / total d2), the total summed exactly in fixed point.
Sample oversample(const comm::Communicator& comm, const Shard& shard, std::size_t clusters,
                  std::uint64_t seed) {
  const std::size_t n = shard.size();
  Sample sample = first_center(comm, shard, seed);
  std::vector<float> d2(n, INFINITY);
  lower_distances(shard, sample.embeddings, d2);
  const double oversampling = double(clusters);  // l = k: the paper finds l in [k/2, 2k] alike
  for (int round = 0; round < kSeedingRounds; ++round) {
    const float largest =
        comm.allreduce(n ? *std::max_element(d2.begin(), d2.end()) : 0.0f, comm::Op::max);
    if (largest <= 0) break;
    std::vector<std::uint64_t> fixed(n);
    std::uint64_t total = 0;
    for (std::size_t row = 0; row < n; ++row)
      total += fixed[row] = std::uint64_t(double(d2[row]) / double(largest) * kFixedScale);
    total = comm.allreduce(total, comm::Op::sum);
    std::vector<std::uint32_t> picked;
    std::vector<std::uint64_t> picked_ids;
    for (std::uint32_t row = 0; row < n; ++row)
      if (keyed_uniform(seed, shard.ids[row], kRoundStream + std::uint64_t(round)) <
          oversampling * double(fixed[row]) / double(total))
        picked.push_back(row), picked_ids.push_back(shard.ids[row]);
    const auto fresh = gather_embeddings(comm, shard, picked);
    const auto fresh_ids = comm.allgatherv<std::uint64_t>(picked_ids);
    if (fresh_ids.empty()) break;
    sample.embeddings.insert(sample.embeddings.end(), fresh.begin(), fresh.end());
    sample.ids.insert(sample.ids.end(), fresh_ids.begin(), fresh_ids.end());
    lower_distances(shard, fresh, d2);
  }
  return sample;
}

// Collective: each sampled center weighs as many items as are nearest to it.
std::vector<std::uint64_t> sample_weights(const comm::Communicator& comm, const Shard& shard,
                                          const Sample& sample) {
  std::vector<std::uint32_t> nearest(shard.size());
  std::vector<float> d2(shard.size());
  std::vector<std::uint64_t> weight(sample.ids.size(), 0);
  nearest_centers(shard.embeddings, sample.embeddings, shard.dim(), nearest, d2);
  for (const auto index : nearest) ++weight[index];
  comm.allreduce(std::span(weight), comm::Op::sum);
  return weight;
}

}  // namespace

Clustering kmeans(const comm::Communicator& comm, const Shard& shard, std::size_t clusters,
                  std::uint64_t seed, int max_iterations, bool bounds) {
  const std::size_t dim = shard.dim();
  const Sample sample = oversample(comm, shard, clusters, seed);
  const auto weight = sample_weights(comm, shard, sample);
  Clustering start;
  start.centroids = plus_plus(sample.embeddings, sample.ids, weight, clusters, dim, seed);
  start.assignment.assign(shard.size(), -1);
  return kmeans_from(comm, shard, std::move(start), max_iterations, bounds);
}

Clustering kmeans_from(const comm::Communicator& comm, const Shard& shard, Clustering start,
                       int max_iterations, bool bounds) {
  Clustering result = std::move(start);
  result.clusters = result.centroids.size() / std::max<std::size_t>(shard.dim(), 1);
  lloyd(comm, shard, result, max_iterations, bounds);
  return result;
}

}  // namespace quarry::select

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

// Each row's squared distance to its nearest sampled center and that center's index in the
// sample (the earlier center on a tie), kept as the sample grows.
struct Nearest {
  std::vector<float> d2;
  std::vector<std::uint32_t> owner;
};

// Lowers every row's distance to the nearest of `centers`, sample indices from `first`.
void lower_distances(const Shard& shard, const std::vector<Float16>& centers, std::size_t first,
                     Nearest& to) {
  std::vector<std::uint32_t> nearest(shard.size());
  std::vector<float> to_new(shard.size());
  nearest_centers(shard.embeddings, centers, shard.dim(), nearest, to_new);
  for (std::size_t row = 0; row < shard.size(); ++row)
    if (to_new[row] < to.d2[row])
      to.d2[row] = to_new[row], to.owner[row] = std::uint32_t(first + nearest[row]);
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

// A k-means|| sample: embeddings (fp16, identical on every rank) with their item ids, and how
// many items are nearest to each.
struct Sample {
  std::vector<Float16> embeddings;
  std::vector<std::uint64_t> ids;
  std::vector<std::uint64_t> weight;
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
  return {gather_embeddings(comm, shard, mine_first), {winner.best.id}, {}};
}

// Collective: k-means|| oversampling. Each round samples every item on its own with probability
// min(1, l * d2 / total d2), the total summed exactly in fixed point. The rows' nearest sampled
// center is kept as the sample grows, so the weights need no pass of their own.
Sample oversample(const comm::Communicator& comm, const Shard& shard, std::size_t clusters,
                  std::uint64_t seed) {
  const std::size_t n = shard.size();
  Sample sample = first_center(comm, shard, seed);
  Nearest to{std::vector<float>(n, INFINITY), std::vector<std::uint32_t>(n, 0)};
  lower_distances(shard, sample.embeddings, 0, to);
  // l = k/2: Bahmani et al. (2012) find l from k/2 to 2k alike after Lloyd, and every sampled
  // center costs a pass of GEMM over the pool; five rounds still sample about 2.5 k.
  const double oversampling = 0.5 * double(clusters);
  auto& d2 = to.d2;
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
    const std::size_t first = sample.ids.size();
    sample.embeddings.insert(sample.embeddings.end(), fresh.begin(), fresh.end());
    sample.ids.insert(sample.ids.end(), fresh_ids.begin(), fresh_ids.end());
    lower_distances(shard, fresh, first, to);
  }
  // Each sampled center weighs as many items as are nearest to it.
  sample.weight.assign(sample.ids.size(), 0);
  for (const auto index : to.owner) ++sample.weight[index];
  comm.allreduce(std::span(sample.weight), comm::Op::sum);
  return sample;
}

}  // namespace

Clustering kmeans(const comm::Communicator& comm, const Shard& shard, std::size_t clusters,
                  std::uint64_t seed, int max_iterations, bool bounds) {
  const std::size_t dim = shard.dim();
  const Sample sample = oversample(comm, shard, clusters, seed);
  Clustering start;
  start.centroids = plus_plus(sample.embeddings, sample.ids, sample.weight, clusters, dim, seed);
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

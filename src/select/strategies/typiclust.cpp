#include "select/strategies/typiclust.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "core/seeded.hpp"
#include "select/strategies/kmeans.hpp"

namespace quarry::select {

namespace {

// The gathered samples of every cluster, the same on every rank: member i is in cluster[i], has
// id[i] and hash[i], and its embedding is row i of `embeddings`.
struct Gathered {
  std::vector<std::int32_t> cluster;
  std::vector<std::uint64_t> id, hash;
  std::vector<Float16> embeddings;
};

// This rank's candidates among the kTypicalitySample smallest hashes of their cluster: a
// superset of its share of every cluster's global sample.
Gathered gather_samples(const comm::Communicator& comm, const Shard& shard,
                        const Clustering& clustering, const std::vector<std::uint32_t>& candidates,
                        std::uint64_t seed) {
  std::vector<std::tuple<std::int32_t, std::uint64_t, std::uint64_t, std::uint32_t>> keyed;
  for (const auto row : candidates)
    keyed.emplace_back(clustering.assignment[row], keyed_hash(seed, shard.ids[row]), shard.ids[row],
                       row);
  std::sort(keyed.begin(), keyed.end());
  Gathered mine;
  std::vector<std::uint32_t> rows;
  for (std::size_t i = 0, taken = 0; i < keyed.size(); ++i) {
    const auto [cluster, hash, id, row] = keyed[i];
    taken = i > 0 && std::get<0>(keyed[i - 1]) == cluster ? taken + 1 : 0;
    if (taken >= kTypicalitySample) continue;
    mine.cluster.push_back(cluster);
    mine.hash.push_back(hash);
    mine.id.push_back(id);
    rows.push_back(row);
  }
  Gathered all;
  all.cluster = comm.allgatherv<std::int32_t>(mine.cluster);
  all.hash = comm.allgatherv<std::uint64_t>(mine.hash);
  all.id = comm.allgatherv<std::uint64_t>(mine.id);
  all.embeddings = gather_embeddings(comm, shard, rows);
  return all;
}

struct Typical {
  std::size_t member = 0;  // index into Gathered
  double typicality = 0;
};

// Per cluster, its sampled members from most to least typical; ties go to the smaller id.
std::vector<std::vector<Typical>> rank_by_typicality(const Gathered& all, std::size_t clusters,
                                                     std::size_t dim) {
  std::vector<std::vector<Typical>> ranked(clusters);
  std::vector<std::vector<std::size_t>> members(clusters);
  for (std::size_t i = 0; i < all.cluster.size(); ++i)
    members[std::size_t(all.cluster[i])].push_back(i);
  for (std::size_t c = 0; c < clusters; ++c) {
    auto& list = members[c];
    // The global sample: the smallest hashes, whatever rank held them.
    std::sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
      return std::tie(all.hash[a], all.id[a]) < std::tie(all.hash[b], all.id[b]);
    });
    if (list.size() > kTypicalitySample) list.resize(kTypicalitySample);
    std::vector<Float16> rows;
    for (auto i : list)
      rows.insert(rows.end(), all.embeddings.begin() + std::ptrdiff_t(i * dim),
                  all.embeddings.begin() + std::ptrdiff_t((i + 1) * dim));
    const auto typical = typicality(rows, list.size(), dim);
    std::vector<std::size_t> order(list.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return typical[a] != typical[b] ? typical[a] > typical[b] : all.id[list[a]] < all.id[list[b]];
    });
    for (auto o : order) ranked[c].push_back({list[o], typical[o]});
  }
  return ranked;
}

}  // namespace

std::vector<double> typicality(std::span<const Float16> embeddings, std::size_t n, std::size_t dim,
                               std::size_t neighbours) {
  std::vector<float> values(embeddings.size());
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = to_float32(embeddings[i]);
  const std::size_t kn = std::min(neighbours, n > 0 ? n - 1 : 0);
  std::vector<double> result(n, 0.0), distance;
  for (std::size_t i = 0; i < n && kn > 0; ++i) {
    distance.clear();
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      double sum = 0;
      for (std::size_t d = 0; d < dim; ++d) {
        const double diff = double(values[i * dim + d]) - double(values[j * dim + d]);
        sum += diff * diff;
      }
      distance.push_back(std::sqrt(sum));
    }
    std::nth_element(distance.begin(), distance.begin() + std::ptrdiff_t(kn - 1), distance.end());
    std::sort(distance.begin(), distance.begin() + std::ptrdiff_t(kn));
    const double mean =
        std::accumulate(distance.begin(), distance.begin() + std::ptrdiff_t(kn), 0.0) / double(kn);
    // Identical neighbours: as typical as an item can be, yet finite for the reason column.
    result[i] = 1.0 / std::max(mean, 1e-12);
  }
  return result;
}

PickList typiclust(const comm::Communicator& comm, const Shard& shard,
                   const std::vector<std::uint32_t>& candidates, std::size_t k,
                   std::uint64_t seed) {
  PickList result;
  result.reason_meaning = "typicality: 1 / mean distance to its nearest neighbours in its cluster";
  const std::size_t items = shard.meta.count;
  if (k == 0 || items == 0) return result;
  const auto clustering = kmeans(comm, shard, std::min(k, std::size_t(items)), seed);
  std::vector<std::uint64_t> size(clustering.clusters, 0);
  for (const auto row : candidates) ++size[std::size_t(clustering.assignment[row])];
  comm.allreduce(std::span(size), comm::Op::sum);
  const auto all = gather_samples(comm, shard, clustering, candidates, seed);
  const auto ranked = rank_by_typicality(all, clustering.clusters, shard.dim());
  std::vector<std::size_t> order(clustering.clusters);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return size[a] > size[b]; });
  std::size_t covered = 0;
  for (std::size_t depth = 0; result.picks.size() < k; ++depth) {
    bool any = false;
    for (const auto c : order) {
      if (depth >= ranked[c].size() || result.picks.size() == k) continue;
      any = true;
      covered += depth == 0;
      const auto& pick = ranked[c][depth];
      result.picks.push_back(
          {all.id[pick.member], std::numeric_limits<float>::quiet_NaN(), float(pick.typicality)});
    }
    if (!any) break;
  }
  result.objective = double(covered);
  return result;
}

}  // namespace quarry::select

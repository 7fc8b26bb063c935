#include "select/strategies/cluster_margin.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "comm/session.hpp"
#include "core/atomic_output.hpp"
#include "core/log.hpp"
#include "h5/file.hpp"
#include "select/distributed/agree.hpp"
#include "select/strategies/ranking.hpp"

namespace quarry::select {

namespace {

constexpr const char* kClustersFormat = "clusters/1";

// How a cache file relates to this run.
enum class CacheFit {
  none,   // absent, unreadable, or for another pool size, cluster count, seed or dimension
  stale,  // the same clustering problem for another model: its centroids start Lloyd (warm)
  exact,  // the same model: the clustering itself
};

CacheFit cache_fit(const std::filesystem::path& path, const Shard& shard, std::size_t clusters,
                   std::uint64_t seed) {
  if (!std::filesystem::exists(path)) return CacheFit::none;
  try {
    auto file = h5::File::open_read_only(path);
    const hid_t root = file.id();
    if (h5::read_string_attribute(root, "quarry_format") != kClustersFormat ||
        h5::read_attribute<std::uint64_t>(root, "clusters") != clusters ||
        h5::read_attribute<std::uint64_t>(root, "seed") != seed ||
        h5::read_attribute<std::uint64_t>(root, "items") != shard.meta.count ||
        file.open_dataset("/centroids").dims().at(1) != shard.dim())
      return CacheFit::none;
    return h5::read_string_attribute(root, "model_sha256") == shard.meta.model_sha256
               ? CacheFit::exact
               : CacheFit::stale;
  } catch (const std::exception&) {
    return CacheFit::none;  // unreadable or from another version: cluster again
  }
}

Clustering read_cache(const std::filesystem::path& path, const Shard& shard) {
  auto file = h5::File::open_read_only(path);
  Clustering result;
  const auto centroids = file.open_dataset("/centroids");
  result.clusters = centroids.rows();
  result.centroids = centroids.read_all<Float16>();
  std::vector<std::uint64_t> ids(shard.size());
  result.assignment.resize(shard.size());
  file.open_dataset("/ids").read_rows<std::uint64_t>(shard.first_row, shard.size(), ids);
  file.open_dataset("/cluster")
      .read_rows<std::int32_t>(shard.first_row, shard.size(), result.assignment);
  if (ids != shard.ids)
    throw InputError(path.string(), "/ids", "differs from the scores file's ids",
                     "delete the stale cluster cache; it is rebuilt on the next run");
  return result;
}

void write_cache(const std::filesystem::path& path, const Shard& shard, const Clustering& result,
                 const std::vector<std::uint64_t>& ids, const std::vector<std::int32_t>& cluster,
                 std::size_t requested, std::uint64_t seed) {
  AtomicOutput output(path, Overwrite::replace);
  {
    auto file = h5::File::create(output.temp_path());
    const hsize_t n = ids.size();
    file.create_dataset<std::uint64_t>("/ids", {n}).write_rows<std::uint64_t>(0, n, ids);
    file.create_dataset<std::int32_t>("/cluster", {n}).write_rows<std::int32_t>(0, n, cluster);
    file.create_dataset<Float16>("/centroids", {result.clusters, shard.dim()})
        .write_rows<Float16>(0, result.clusters, result.centroids);
    const hid_t root = file.id();
    h5::write_attribute(root, "quarry_format", std::string(kClustersFormat));
    h5::write_attribute(root, "clusters", std::uint64_t(requested));
    h5::write_attribute(root, "seed", seed);
    h5::write_attribute(root, "items", std::uint64_t(shard.meta.count));
    h5::write_attribute(root, "model_sha256", shard.meta.model_sha256);
    h5::write_attribute(root, "iterations", std::int32_t(result.iterations));
    file.flush();
  }
  output.commit();
}

// Collective: an earlier round's clustering as a start, or nothing when it is unreadable or holds
// other items on any rank (a start is an optimisation: it never fails the run).
std::optional<Clustering> read_warm_start(const comm::Communicator& comm,
                                          const std::filesystem::path& path, const Shard& shard) {
  std::optional<Clustering> start;
  try {
    start = read_cache(path, shard);
  } catch (const std::exception&) {
    start.reset();
  }
  if (!comm.all(start.has_value())) {
    if (comm.is_root())
      spdlog::info("select: {} holds other items; clustering from scratch", path.string());
    return std::nullopt;
  }
  return start;
}

}  // namespace

std::filesystem::path cluster_cache_path(const std::filesystem::path& scores) {
  return scores.parent_path() / (scores.stem().string() + ".clusters.h5");
}

std::size_t default_cluster_count(std::uint64_t items) {
  return std::clamp<std::size_t>(std::size_t(std::llround(std::sqrt(double(items)))), 2, 1000);
}

Clustering cached_clustering(const comm::Communicator& comm, const Shard& shard,
                             const std::filesystem::path& scores, std::size_t clusters,
                             std::uint64_t seed, const std::optional<std::filesystem::path>& warm) {
  const auto path = cluster_cache_path(scores);
  const auto fit_of = [&](const std::filesystem::path& file) {
    return CacheFit(comm.broadcast<std::int32_t>(
        comm.is_root() ? std::int32_t(cache_fit(file, shard, clusters, seed)) : 0, 0));
  };
  auto fit = fit_of(path);
  Clustering result;
  if (fit == CacheFit::exact) {
    comm::agree_on_errors(comm, [&] { result = read_cache(path, shard); });
    return result;
  }
  std::optional<Clustering> start;
  if (fit == CacheFit::stale)
    comm::agree_on_errors(comm, [&] { start = read_cache(path, shard); });
  else if (warm && *warm != path && fit_of(*warm) != CacheFit::none)
    start = read_warm_start(comm, *warm, shard);
  if (start) {
    fit = CacheFit::stale;
    result = kmeans_from(comm, shard, std::move(*start));
  } else {
    result = kmeans(comm, shard, clusters, seed);
  }
  const auto ids = comm.allgatherv<std::uint64_t>(shard.ids);
  const auto cluster = comm.allgatherv<std::int32_t>(result.assignment);
  comm::agree_on_errors(comm, [&] {
    if (comm.is_root()) write_cache(path, shard, result, ids, cluster, clusters, seed);
  });
  if (comm.is_root())
    spdlog::info("select: clustered {} items into {} clusters ({} Lloyd iterations{}) -> {}",
                 shard.meta.count, result.clusters, result.iterations,
                 fit == CacheFit::stale ? ", warm from an earlier model's centroids" : "",
                 path.string());
  return result;
}

PickList cluster_margin(const comm::Communicator& comm, const Shard& shard,
                        const Clustering& clustering, const std::vector<std::uint32_t>& candidates,
                        std::size_t k, std::size_t m, const std::vector<float>& weight) {
  // The M most uncertain candidates, with their cluster and acquisition, on every rank.
  const auto rows = top_acquisition_rows(comm, shard, candidates, m, weight);
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> cluster;
  std::vector<double> key;
  std::vector<float> score;
  for (const auto row : rows) {
    ids.push_back(shard.ids[row]);
    cluster.push_back(clustering.assignment[row]);
    key.push_back(weight.empty() ? double(shard.acquisition[row])
                                 : double(shard.acquisition[row]) * weight[row]);
    score.push_back(shard.acquisition[row]);
  }
  const auto all_ids = comm.allgatherv<std::uint64_t>(ids);
  const auto all_cluster = comm.allgatherv<std::int32_t>(cluster);
  const auto all_key = comm.allgatherv<double>(key);
  const auto all_score = comm.allgatherv<float>(score);

  // Members per cluster, most uncertain first (ties by id); clusters smallest first (ties by
  // cluster index).
  std::map<std::int32_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < all_ids.size(); ++i) members[all_cluster[i]].push_back(i);
  std::vector<std::pair<std::size_t, std::int32_t>> order;
  for (auto& [c, list] : members) {
    std::sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
      return ranks_before({all_key[a], all_ids[a]}, {all_key[b], all_ids[b]});
    });
    order.emplace_back(list.size(), c);
  }
  std::sort(order.begin(), order.end());
  PickList result;
  result.reason_meaning = "cluster id";
  std::size_t used_clusters = 0;
  for (std::size_t round = 0; result.picks.size() < k; ++round) {
    bool any = false;
    for (const auto& [size, c] : order) {
      if (round >= size || result.picks.size() >= k) continue;
      const std::size_t i = members[c][round];
      result.picks.push_back({all_ids[i], all_score[i], float(c)});
      used_clusters += round == 0;
      any = true;
    }
    if (!any) break;
  }
  result.objective = double(used_clusters);
  return result;
}

}  // namespace quarry::select

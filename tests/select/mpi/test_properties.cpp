// The defining properties of badge, cluster-margin and the k-means behind it, at the rank count
// this binary runs under.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <map>
#include <set>

#include "h5/file.hpp"
#include "select/input/shard.hpp"
#include "select/strategies/badge.hpp"
#include "select/strategies/cluster_margin.hpp"
#include "select/strategies/kmeans.hpp"
#include "support/scores_fixture.hpp"
#include "support/shared_dir.hpp"

namespace quarry::select {
namespace {

using testing::ScoresFixture;

class Properties : public ::testing::Test {
 protected:
  Shard load(const ScoresFixture& f, std::uint64_t chunk_rows, bool probs = false) {
    if (world.is_root()) testing::write_scores(dir / "scores.h5", f, chunk_rows);
    world.barrier();
    ShardRequest request;
    request.embeddings = true;
    request.probs = probs;
    request.acquisition = "margin";
    request.acquisition_required = true;
    return read_shard(world, dir / "scores.h5", request);
  }
  static std::vector<std::uint32_t> all_rows(const Shard& shard) {
    std::vector<std::uint32_t> rows(shard.size());
    for (std::uint32_t row = 0; row < rows.size(); ++row) rows[row] = row;
    return rows;
  }
  // Gradient embedding of fixture row i in float64: (p - onehot(argmax p)) ⊗ h, fp16-rounded.
  static std::vector<double> gradient(const ScoresFixture& f, std::size_t i) {
    std::vector<double> p(f.classes);
    for (std::size_t c = 0; c < f.classes; ++c)
      p[c] = double(to_float32(to_float16(f.probs[i * f.classes + c])));
    const auto pred = std::size_t(std::max_element(f.probs.begin() + long(i * f.classes),
                                                   f.probs.begin() + long((i + 1) * f.classes)) -
                                  (f.probs.begin() + long(i * f.classes)));
    p[pred] -= 1.0;
    std::vector<double> g;
    for (std::size_t c = 0; c < f.classes; ++c)
      for (std::size_t j = 0; j < f.dim; ++j) g.push_back(p[c] * f.value(i, j));
    return g;
  }

  comm::Communicator world{MPI_COMM_WORLD};
  testing::SharedDir dir{MPI_COMM_WORLD};
};

TEST_F(Properties, BadgeStartsFromTheLargestGradientNorm) {
  const auto f = testing::make_blobs(500, 12, 5, 21);
  const Shard shard = load(f, 50, true);
  const auto got = badge(world, shard, all_rows(shard), 5, 1, {});
  std::size_t best = 0;
  double best_norm = -1;
  for (std::size_t i = 0; i < f.size(); ++i) {
    double norm = 0;
    for (const double v : gradient(f, i)) norm += v * v;
    if (norm > best_norm) best_norm = norm, best = i;
  }
  EXPECT_EQ(got.picks[0].id, f.ids[best]);
  EXPECT_NEAR(got.picks[0].reason, std::sqrt(best_norm), 1e-3 * std::sqrt(best_norm));
  std::set<std::uint64_t> distinct;
  for (const auto& pick : got.picks) distinct.insert(pick.id);
  EXPECT_EQ(distinct.size(), got.picks.size());
}

TEST_F(Properties, BadgeSecondPickIsADSquaredDraw) {
  // Over many seeds, the second pick of each item is drawn with probability D^2 / sum D^2,
  // D the gradient-embedding distance to the first pick (computed here in float64).
  const auto f = testing::make_blobs(6, 4, 3, 9, 2.0);
  const Shard shard = load(f, 2, true);
  const auto rows = all_rows(shard);
  const int trials = 3000;
  std::map<std::uint64_t, int> count;
  std::uint64_t first = 0;
  for (int seed = 0; seed < trials; ++seed) {
    const auto got = badge(world, shard, rows, 2, std::uint64_t(seed), {});
    first = got.picks[0].id;
    ++count[got.picks[1].id];
  }
  std::size_t first_row = 0;
  while (f.ids[first_row] != first) ++first_row;
  const auto g0 = gradient(f, first_row);
  std::vector<double> d2(f.size(), 0.0);
  double total = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const auto g = gradient(f, i);
    for (std::size_t j = 0; j < g.size(); ++j) d2[i] += (g[j] - g0[j]) * (g[j] - g0[j]);
    total += d2[i];
  }
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double expected = trials * d2[i] / total;
    const double sigma = std::sqrt(trials * (d2[i] / total) * (1 - d2[i] / total)) + 1e-9;
    EXPECT_LE(std::abs(count[f.ids[i]] - expected), 4.5 * sigma + 1)
        << "item " << f.ids[i] << " drawn " << count[f.ids[i]] << " times, expected " << expected;
  }
}

TEST_F(Properties, BadgeThirdPickIsADSquaredDrawGivenTheSecond) {
  // The third pick comes from a batch of proposals drawn before the second was accepted
  // (rejection sampling from the frozen masses): given the first two picks, each item must still
  // be drawn with probability min(D1^2, D2^2) / sum, in float64 here.
  const auto f = testing::make_blobs(7, 4, 3, 5, 2.0);
  const Shard shard = load(f, 2, true);
  const auto rows = all_rows(shard);
  const int trials = 4000;
  std::map<std::uint64_t, std::map<std::uint64_t, int>> third;  // second pick -> third -> count
  std::uint64_t first = 0;
  for (int seed = 0; seed < trials; ++seed) {
    const auto got = badge(world, shard, rows, 3, std::uint64_t(seed), {});
    first = got.picks[0].id;
    ++third[got.picks[1].id][got.picks[2].id];
  }
  const auto row_of = [&](std::uint64_t id) {
    std::size_t row = 0;
    while (f.ids[row] != id) ++row;
    return row;
  };
  const auto d2 = [&](std::size_t i, std::size_t j) {
    const auto gi = gradient(f, i), gj = gradient(f, j);
    double sum = 0;
    for (std::size_t c = 0; c < gi.size(); ++c) sum += (gi[c] - gj[c]) * (gi[c] - gj[c]);
    return sum;
  };
  const std::size_t a = row_of(first);
  ASSERT_GE(third.size(), 3u) << "the second pick barely varies: the test would prove little";
  for (const auto& [second, counts] : third) {
    const std::size_t b = row_of(second);
    int n = 0;
    for (const auto& [id, count] : counts) n += count;
    std::vector<double> mass(f.size());
    double total = 0;
    for (std::size_t i = 0; i < f.size(); ++i) total += mass[i] = std::min(d2(i, a), d2(i, b));
    for (std::size_t i = 0; i < f.size(); ++i) {
      const double p = mass[i] / total, expected = n * p;
      const double sigma = std::sqrt(n * p * (1 - p)) + 1e-9;
      const auto seen = counts.count(f.ids[i]) ? counts.at(f.ids[i]) : 0;
      EXPECT_LE(std::abs(seen - expected), 4.5 * sigma + 1)
          << "after " << second << ", item " << f.ids[i] << " drawn " << seen << " times of " << n
          << ", expected " << expected;
    }
  }
}

TEST_F(Properties, KMeansRecoversSeparatedBlobsOnAnyRankCount) {
  const auto f = testing::make_blobs(900, 10, 6, 31, 25.0);
  const Shard shard = load(f, 64);
  const auto together = kmeans(world, shard, 6, 4);
  // Pure clusters: items of one blob (fixture row % 6) share a cluster, and blobs differ.
  std::vector<std::int32_t> blob_cluster(6, -1);
  for (std::size_t row = 0; row < shard.size(); ++row) {
    const std::size_t global = shard.first_row + row, blob = global % 6;
    if (blob_cluster[blob] < 0) blob_cluster[blob] = together.assignment[row];
    EXPECT_EQ(together.assignment[row], blob_cluster[blob]) << "row " << global;
  }
  // The same clustering when one rank does it all.
  ShardRequest request;
  request.embeddings = true;
  const Shard whole = read_shard(comm::Communicator(MPI_COMM_SELF), dir / "scores.h5", request);
  const auto alone = kmeans(comm::Communicator(MPI_COMM_SELF), whole, 6, 4);
  for (std::size_t row = 0; row < shard.size(); ++row)
    EXPECT_EQ(together.assignment[row], alone.assignment[shard.first_row + row]);
  EXPECT_EQ(together.iterations, alone.iterations);
  for (std::size_t i = 0; i < together.centroids.size(); ++i)
    EXPECT_EQ(together.centroids[i].bits, alone.centroids[i].bits);
}

TEST_F(Properties, ClusterMarginTakesUncertainItemsRoundRobinSmallestClusterFirst) {
  const auto f = testing::make_blobs(1200, 8, 8, 41, 10.0);
  const Shard shard = load(f, 64);
  const auto clustering = cached_clustering(world, shard, dir / "scores.h5", 8, 2);
  const std::size_t m = 200, k = 30;
  const auto got = cluster_margin(world, shard, clustering, all_rows(shard), k, m, {});
  ASSERT_EQ(got.picks.size(), k);

  // The top m by margin (ties by id) and their clusters, read back from the cache file.
  auto cache = h5::File::open_read_only(cluster_cache_path(dir / "scores.h5"));
  const auto cached_ids = cache.open_dataset("/ids").read_all<std::uint64_t>();
  const auto cached_cluster = cache.open_dataset("/cluster").read_all<std::int32_t>();
  ASSERT_EQ(cached_ids, f.ids);
  std::vector<std::size_t> order(f.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    return f.margin[a] > f.margin[b] || (f.margin[a] == f.margin[b] && f.ids[a] < f.ids[b]);
  });
  std::map<std::uint64_t, std::size_t> top;  // id -> fixture row, for the top m
  std::map<std::int32_t, std::size_t> available;
  for (std::size_t i = 0; i < m; ++i)
    top[f.ids[order[i]]] = order[i], ++available[cached_cluster[order[i]]];

  std::map<std::int32_t, std::size_t> taken;
  for (const auto& pick : got.picks) {
    ASSERT_TRUE(top.count(pick.id)) << "pick " << pick.id << " is not among the top " << m;
    EXPECT_EQ(pick.reason, float(cached_cluster[top[pick.id]]));
    ++taken[cached_cluster[top[pick.id]]];
  }
  // Round-robin: a cluster holds fewer picks than another only when it ran out of candidates.
  std::size_t most = 0;
  for (const auto& [c, n] : taken) most = std::max(most, n);
  for (const auto& [c, n] : available)
    EXPECT_GE(taken[c], std::min(n, most - 1)) << "cluster " << c;
  // The first round visits clusters from the smallest (in the top m) to the largest.
  for (std::size_t i = 1; i < std::min(available.size(), k); ++i)
    EXPECT_LE(available[std::int32_t(got.picks[i - 1].reason)],
              available[std::int32_t(got.picks[i].reason)]);
  // A second run reads the cache and gives the same clustering.
  const auto again = cached_clustering(world, shard, dir / "scores.h5", 8, 2);
  EXPECT_EQ(again.assignment, clustering.assignment);
}

TEST_F(Properties, ClusterMarginWarmStartsFromAnotherModelsClustering) {
  // Scored again by another model whose embeddings barely moved: the cache's centroids start
  // Lloyd, which converges in one assignment pass, and the cache now names the new model.
  const auto f = testing::make_blobs(1200, 8, 8, 43, 10.0);
  const Shard shard = load(f, 64);
  const auto cold = cached_clustering(world, shard, dir / "scores.h5", 8, 2);
  EXPECT_GT(cold.iterations, 1);
  if (world.is_root()) testing::write_scores(dir / "scores.h5", f, 64, std::string(64, '1'));
  world.barrier();
  ShardRequest request;
  request.embeddings = true;
  const Shard rescored = read_shard(world, dir / "scores.h5", request);
  const auto warm = cached_clustering(world, rescored, dir / "scores.h5", 8, 2);
  EXPECT_EQ(warm.iterations, 1);
  EXPECT_EQ(warm.assignment, cold.assignment);
  auto cache = h5::File::open_read_only(cluster_cache_path(dir / "scores.h5"));
  EXPECT_EQ(h5::read_string_attribute(cache.id(), "model_sha256"), std::string(64, '1'));
  // A different cluster count is another problem: seeded from scratch.
  const auto other = cached_clustering(world, rescored, dir / "scores.h5", 7, 2);
  EXPECT_EQ(other.clusters, 7u);
}

TEST_F(Properties, ClusterMarginWarmStartsFromAnEarlierRoundsClustering) {
  // A workspace round scores into its own file: the previous round's cache starts Lloyd.
  const auto f = testing::make_blobs(1200, 8, 8, 47, 10.0);
  ShardRequest request;
  request.embeddings = true;
  const auto scored = [&](const std::string& name, const testing::ScoresFixture& fixture,
                          char model) {
    if (world.is_root()) testing::write_scores(dir / name, fixture, 64, std::string(64, model));
    world.barrier();
    return read_shard(world, dir / name, request);
  };
  const Shard first = scored("round1.h5", f, '1');
  const auto cold = cached_clustering(world, first, dir / "round1.h5", 8, 2);
  EXPECT_GT(cold.iterations, 1);
  const auto previous = cluster_cache_path(dir / "round1.h5");
  const Shard second = scored("round2.h5", f, '2');
  const auto warm = cached_clustering(world, second, dir / "round2.h5", 8, 2, previous);
  EXPECT_EQ(warm.iterations, 1);
  EXPECT_EQ(warm.assignment, cold.assignment);
  // The same number of items in another order (other items for this clustering): cold, no error.
  const auto shuffled = testing::make_blobs(1200, 8, 8, 53, 10.0);
  const Shard third = scored("round3.h5", shuffled, '3');
  const auto fresh = cached_clustering(world, third, dir / "round3.h5", 8, 2, previous);
  EXPECT_GT(fresh.iterations, 1);
  EXPECT_EQ(fresh.assignment, kmeans(world, third, 8, 2).assignment);
}

}  // namespace
}  // namespace quarry::select

// TypiClust's defining property: on well-separated clusters it picks, per cluster, the item whose
// mean distance to its 20 nearest neighbours in the cluster is the smallest (brute force here),
// and the same items on any rank count (each rank also selects alone, MPI_COMM_SELF).
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "select/select_batch.hpp"
#include "select/strategies/typiclust.hpp"
#include "support/scores_fixture.hpp"
#include "support/shared_dir.hpp"

namespace quarry::select {
namespace {

constexpr std::size_t kBlobs = 6;

// The densest member of each blob by brute force: the smallest mean distance to its 20 nearest
// blob-mates (fp16-rounded values, as the file stores them); ties to the smaller id.
std::set<std::uint64_t> densest_per_blob(const testing::ScoresFixture& f) {
  std::set<std::uint64_t> densest;
  for (std::size_t blob = 0; blob < kBlobs; ++blob) {
    std::vector<std::size_t> rows;
    for (std::size_t i = blob; i < f.size(); i += kBlobs) rows.push_back(i);
    double best = INFINITY;
    std::uint64_t best_id = 0;
    for (auto a : rows) {
      std::vector<double> d;
      for (auto b : rows) {
        if (a == b) continue;
        double s = 0;
        for (std::size_t j = 0; j < f.dim; ++j) s += std::pow(f.value(a, j) - f.value(b, j), 2);
        d.push_back(std::sqrt(s));
      }
      std::sort(d.begin(), d.end());
      double mean = 0;
      for (std::size_t i = 0; i < 20; ++i) mean += d[i] / 20;
      if (mean < best || (mean == best && f.ids[a] < best_id)) best = mean, best_id = f.ids[a];
    }
    densest.insert(best_id);
  }
  return densest;
}

TEST(TypiClust, PicksTheDensestItemOfEveryClusterOnAnyRankCount) {
  comm::Communicator world{MPI_COMM_WORLD};
  testing::SharedDir dir{MPI_COMM_WORLD};
  // Far-apart blobs (spread 40 against unit noise): k-means with k = 6 finds them.
  const auto fixture = testing::make_blobs(600, 8, kBlobs, 5, 40.0);
  if (world.is_root()) testing::write_scores(dir / "scores.h5", fixture, 64);
  world.barrier();
  SelectOptions o;
  o.scores = dir / "scores.h5";
  o.out = dir / "unused.h5";
  o.k = kBlobs;
  o.strategy = Strategy::typiclust;
  o.seed = 9;
  const auto together = select_batch(world, o);
  const auto alone = select_batch(comm::Communicator(MPI_COMM_SELF), o);
  EXPECT_EQ(together.ids, alone.ids);
  EXPECT_EQ(together.reason, alone.reason);
  EXPECT_EQ(std::set<std::uint64_t>(together.ids.begin(), together.ids.end()),
            densest_per_blob(fixture));
  EXPECT_DOUBLE_EQ(together.objective, double(kBlobs));  // every cluster covered
  for (const float typicality : together.reason) EXPECT_GT(typicality, 0.0f);
  // More picks than clusters: the next most typical of each cluster, each item once.
  o.k = 2 * kBlobs + 1;
  const auto more = select_batch(world, o);
  EXPECT_EQ(more.ids.size(), o.k);
  EXPECT_EQ(std::set<std::uint64_t>(more.ids.begin(), more.ids.end()).size(), o.k);
  EXPECT_EQ(more.ids, select_batch(comm::Communicator(MPI_COMM_SELF), o).ids);
}

TEST(TypiClust, TypicalityIsTheInverseMeanNeighbourDistance) {
  // Points 0, 1 and 3 on a line, one neighbour each: 1 / 1, 1 / 1, 1 / 2.
  std::vector<Float16> points = {to_float16(0.0f), to_float16(1.0f), to_float16(3.0f)};
  const auto t = typicality(points, 3, 1, 1);
  EXPECT_DOUBLE_EQ(t[0], 1.0);
  EXPECT_DOUBLE_EQ(t[1], 1.0);
  EXPECT_DOUBLE_EQ(t[2], 0.5);
  // Two neighbours: the middle point is the most typical.
  const auto two = typicality(points, 3, 1, 2);
  EXPECT_GT(two[1], two[0]);
  EXPECT_GT(two[0], two[2]);
  // A lone item has no neighbours.
  EXPECT_EQ(typicality(std::span(points).first(1), 1, 1)[0], 0.0);
}

}  // namespace
}  // namespace quarry::select

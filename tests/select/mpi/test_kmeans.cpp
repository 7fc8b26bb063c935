// Lloyd with Hamerly's bounds against plain Lloyd (every row through the GEMM each step): the
// same assignments, centroids and iteration counts, cold and warm, on overlapping blobs (many
// iterations, rows near cluster borders) and on concentrated ReLU embeddings, at the rank count
// this binary runs under (1, 2 and 3 in CTest).
#include <gtest/gtest.h>
#include <mpi.h>

#include <random>

#include "select/input/shard.hpp"
#include "select/strategies/kmeans.hpp"
#include "support/scores_fixture.hpp"
#include "support/shared_dir.hpp"

namespace quarry::select {
namespace {

class KMeansBounds : public ::testing::Test {
 protected:
  Shard load(const testing::ScoresFixture& f) {
    if (world.is_root()) testing::write_scores(dir / "scores.h5", f, 128);
    world.barrier();
    ShardRequest request;
    request.embeddings = true;
    return read_shard(world, dir / "scores.h5", request);
  }

  void expect_same(const Clustering& bounded, const Clustering& plain) {
    EXPECT_EQ(bounded.iterations, plain.iterations);
    EXPECT_EQ(bounded.assignment, plain.assignment);
    ASSERT_EQ(bounded.centroids.size(), plain.centroids.size());
    for (std::size_t i = 0; i < plain.centroids.size(); ++i)
      ASSERT_EQ(bounded.centroids[i].bits, plain.centroids[i].bits) << "value " << i;
  }

  comm::Communicator world{MPI_COMM_WORLD};
  testing::SharedDir dir{MPI_COMM_WORLD};
};

TEST_F(KMeansBounds, SameClusteringAsPlainLloydOnOverlappingBlobs) {
  // Blobs closer than their spread: Lloyd needs many steps and rows keep crossing borders.
  const auto f = testing::make_blobs(4000, 16, 30, 5, 1.5);
  const Shard shard = load(f);
  const auto bounded = kmeans(world, shard, 25, 7, 40, true);
  const auto plain = kmeans(world, shard, 25, 7, 40, false);
  EXPECT_GT(plain.iterations, 3);  // the bounds were carried across steps
  expect_same(bounded, plain);
}

TEST_F(KMeansBounds, SameClusteringAsPlainLloydOnConcentratedEmbeddings) {
  auto f = testing::make_blobs(3000, 48, 2, 9);
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (auto& v : f.embeddings) v = float(std::max(0.0, normal(rng)) + 1.0);
  const Shard shard = load(f);
  const auto bounded = kmeans(world, shard, 40, 3, 40, true);
  const auto plain = kmeans(world, shard, 40, 3, 40, false);
  EXPECT_GT(plain.iterations, 3);
  expect_same(bounded, plain);
}

TEST_F(KMeansBounds, SameWarmStartAsPlainLloyd) {
  const auto f = testing::make_blobs(3000, 16, 20, 11, 2.0);
  const Shard shard = load(f);
  auto start = kmeans(world, shard, 20, 5, 2, false);  // a rough clustering to start from
  const auto bounded = kmeans_from(world, shard, start, 40, true);
  const auto plain = kmeans_from(world, shard, start, 40, false);
  EXPECT_GT(plain.iterations, 1);
  expect_same(bounded, plain);
}

}  // namespace
}  // namespace quarry::select

// kcenter against a plain float64 farthest-first traversal on data without near-ties, at the
// rank count this binary runs under (1, 2 and 3 in CTest).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/seeded.hpp"
#include "select/input/shard.hpp"
#include "select/strategies/kcenter.hpp"
#include "select/strategies/picks.hpp"
#include "support/scores_fixture.hpp"
#include "support/shared_dir.hpp"

namespace quarry::select {
namespace {

using testing::ScoresFixture;

struct Reference {
  std::vector<std::uint64_t> ids;
  std::vector<double> distance;
  double radius = 0;
};

// The textbook traversal in float64 over the fp16-rounded embeddings.
Reference farthest_first(const ScoresFixture& f, const std::vector<bool>& covered, std::size_t k,
                         std::uint64_t seed) {
  const std::size_t n = f.size();
  const auto dist2 = [&](std::size_t a, std::size_t b) {
    double sum = 0;
    for (std::size_t j = 0; j < f.dim; ++j) sum += std::pow(f.value(a, j) - f.value(b, j), 2);
    return sum;
  };
  std::vector<double> d(n, std::numeric_limits<double>::infinity());
  std::vector<bool> taken(covered);
  bool any_covered = false;
  for (std::size_t c = 0; c < n; ++c)
    if (covered[c]) {
      any_covered = true;
      for (std::size_t i = 0; i < n; ++i) d[i] = std::min(d[i], dist2(i, c));
    }
  Reference ref;
  for (std::size_t step = 0; step < k; ++step) {
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (taken[i]) continue;
      if (best == n) {
        best = i;
        continue;
      }
      const bool better =
          (step == 0 && !any_covered)
              ? keyed_uniform(seed, f.ids[i]) < keyed_uniform(seed, f.ids[best]) ||
                    (keyed_uniform(seed, f.ids[i]) == keyed_uniform(seed, f.ids[best]) &&
                     f.ids[i] < f.ids[best])
              : d[i] > d[best] || (d[i] == d[best] && f.ids[i] < f.ids[best]);
      if (better) best = i;
    }
    taken[best] = true;
    ref.ids.push_back(f.ids[best]);
    ref.distance.push_back(std::sqrt(d[best]));
    for (std::size_t i = 0; i < n; ++i) d[i] = std::min(d[i], dist2(i, best));
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!taken[i]) ref.radius = std::max(ref.radius, std::sqrt(d[i]));
  return ref;
}

void expect_same(const PickList& got, const Reference& want) {
  ASSERT_EQ(got.picks.size(), want.ids.size());
  for (std::size_t i = 0; i < want.ids.size(); ++i) {
    EXPECT_EQ(got.picks[i].id, want.ids[i]) << "pick " << i;
    if (std::isinf(want.distance[i]))
      EXPECT_TRUE(std::isinf(got.picks[i].reason));
    else
      EXPECT_NEAR(got.picks[i].reason, want.distance[i], 1e-4 * want.distance[i]) << "pick " << i;
  }
  EXPECT_NEAR(got.objective, want.radius, 1e-4 * want.radius);
}

class KCenter : public ::testing::Test {
 protected:
  // Writes the fixture (rank 0) and reads this rank's shard with its embeddings.
  Shard load(const ScoresFixture& f, std::uint64_t chunk_rows) {
    if (world.is_root()) testing::write_scores(dir / "scores.h5", f, chunk_rows);
    world.barrier();
    ShardRequest request;
    request.embeddings = true;
    return read_shard(world, dir / "scores.h5", request);
  }

  comm::Communicator world{MPI_COMM_WORLD};
  testing::SharedDir dir{MPI_COMM_WORLD};
};

TEST_F(KCenter, MatchesFloat64ReferenceFromNothingLabeled) {
  const auto f = testing::make_blobs(1500, 24, 12, 5);
  const Shard shard = load(f, 64);
  KCenterSpec spec;
  spec.k = 60;
  spec.seed = 17;
  for (std::uint32_t row = 0; row < shard.size(); ++row) spec.candidates.push_back(row);
  const auto got = kcenter(world, shard, spec);
  expect_same(got, farthest_first(f, std::vector<bool>(f.size(), false), spec.k, spec.seed));
}

TEST_F(KCenter, MatchesFloat64ReferenceFromLabeledItems) {
  const auto f = testing::make_blobs(1200, 40, 8, 6);
  const Shard shard = load(f, 100);
  // Every 9th item (by id) counts as labeled: distances start from those.
  std::vector<bool> covered(f.size());
  for (std::size_t i = 0; i < f.size(); ++i) covered[i] = f.ids[i] % 9 == 0;
  KCenterSpec spec;
  spec.k = 80;
  std::vector<std::uint32_t> covered_rows;
  for (std::uint32_t row = 0; row < shard.size(); ++row)
    (shard.ids[row] % 9 == 0 ? covered_rows : spec.candidates).push_back(row);
  spec.covered = gather_embeddings(world, shard, covered_rows);
  const auto got = kcenter(world, shard, spec);
  expect_same(got, farthest_first(f, covered, spec.k, spec.seed));
}

// Embeddings whose distances concentrate, as an untrained network's do: ReLU(N(0, 1)) + 2 in 64
// dimensions, one blob. The cells prune little here, so the compact bounds do the work.
testing::ScoresFixture concentrated(std::size_t n, std::size_t dim, std::uint64_t seed) {
  auto f = testing::make_blobs(n, dim, 2, seed);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (auto& v : f.embeddings) v = float(std::max(0.0, normal(rng)) + 2.0);
  return f;
}

TEST_F(KCenter, CompactBoundsKeepThePicksWhereDistancesConcentrate) {
  const auto f = concentrated(2000, 64, 9);
  const Shard shard = load(f, 128);
  // Every 13th item (by id) counts as labeled.
  std::vector<bool> covered(f.size());
  KCenterSpec spec;
  spec.k = 150;
  spec.seed = 3;
  std::vector<std::uint32_t> covered_rows;
  for (std::uint32_t row = 0; row < shard.size(); ++row)
    (shard.ids[row] % 13 == 0 ? covered_rows : spec.candidates).push_back(row);
  for (std::size_t i = 0; i < f.size(); ++i) covered[i] = f.ids[i] % 13 == 0;
  spec.covered = gather_embeddings(world, shard, covered_rows);
  const auto with_bounds = kcenter(world, shard, spec);
  spec.compact = false;
  const auto exact_only = kcenter(world, shard, spec);
  expect_same(with_bounds, farthest_first(f, covered, spec.k, spec.seed));
  ASSERT_EQ(with_bounds.picks.size(), exact_only.picks.size());
  for (std::size_t i = 0; i < with_bounds.picks.size(); ++i) {
    EXPECT_EQ(with_bounds.picks[i].id, exact_only.picks[i].id) << "pick " << i;
    EXPECT_EQ(with_bounds.picks[i].reason, exact_only.picks[i].reason) << "pick " << i;
  }
  EXPECT_EQ(with_bounds.objective, exact_only.objective);
}

TEST_F(KCenter, WeightsScaleDistancesWhenChoosing) {
  // Weighted traversal: a row with weight 0 is never chosen while others remain.
  const auto f = testing::make_blobs(300, 8, 3, 7);
  const Shard shard = load(f, 32);
  KCenterSpec spec;
  spec.k = 40;
  spec.covered = gather_embeddings(world, shard, {});
  for (std::uint32_t row = 0; row < shard.size(); ++row) {
    spec.candidates.push_back(row);
    spec.weight.push_back(shard.ids[row] % 2 == 0 ? 1.0f : 0.0f);
  }
  const auto got = kcenter(world, shard, spec);
  for (std::size_t i = 1; i < got.picks.size(); ++i) EXPECT_EQ(got.picks[i].id % 2, 0u) << i;
}

}  // namespace
}  // namespace quarry::select

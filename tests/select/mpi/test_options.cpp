// What --target-pool and --balance promise, through select_batch at this binary's rank count.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "select/select_batch.hpp"
#include "select/strategies/balance.hpp"
#include "support/scores_fixture.hpp"
#include "support/shared_dir.hpp"

namespace quarry::select {
namespace {

class Options : public ::testing::Test {
 protected:
  void SetUp() override {
    pool = testing::make_blobs(1200, 16, 6, 51, 12.0);
    // The target domain: items of blob 0 only (fixture row % 6 == 0), as their own scores file.
    testing::ScoresFixture target;
    target.dim = pool.dim;
    target.classes = pool.classes;
    for (std::size_t i = 0; i < pool.size(); i += 6 * 10) {
      target.ids.push_back(pool.ids[i]);
      target.embeddings.insert(target.embeddings.end(),
                               pool.embeddings.begin() + long(i * pool.dim),
                               pool.embeddings.begin() + long((i + 1) * pool.dim));
      target.probs.insert(target.probs.end(), pool.probs.begin() + long(i * pool.classes),
                          pool.probs.begin() + long((i + 1) * pool.classes));
      target.margin.push_back(pool.margin[i]);
    }
    if (world.is_root()) {
      testing::write_scores(dir / "scores.h5", pool, 64);
      testing::write_scores(dir / "target.h5", target, 8);
    }
    world.barrier();
    for (std::size_t i = 0; i < pool.size(); ++i) blob_of[pool.ids[i]] = i % 6;
  }
  SelectOptions options(const std::string& strategy, std::size_t k) const {
    SelectOptions o;
    o.scores = dir / "scores.h5";
    o.out = dir / "unused.h5";
    o.strategy = parse_strategy(strategy);
    o.k = k;
    o.candidates = 300;
    return o;
  }

  comm::Communicator world{MPI_COMM_WORLD};
  testing::SharedDir dir{MPI_COMM_WORLD};
  testing::ScoresFixture pool;
  std::map<std::uint64_t, std::size_t> blob_of;
};

TEST_F(Options, TargetPoolPullsPicksTowardsTheTargetDomain) {
  for (const std::string strategy : {"topk", "random", "margin-kcenter", "badge"}) {
    auto o = options(strategy, 20);
    const auto plain = select_batch(world, o);
    o.target_pool = dir / "target.h5";
    const auto aimed = select_batch(world, o);
    std::size_t plain_in = 0, aimed_in = 0;
    for (const auto id : plain.ids) plain_in += blob_of[id] == 0;
    for (const auto id : aimed.ids) aimed_in += blob_of[id] == 0;
    EXPECT_EQ(aimed_in, 20u) << strategy << ": picks outside the target domain";
    EXPECT_LT(plain_in, 20u) << strategy << ": the unweighted batch was already all on target";
  }
  // kcenter: after the first (seeded) pick, the weighted traversal stays near the target.
  auto o = options("kcenter", 15);
  o.target_pool = dir / "target.h5";
  const auto aimed = select_batch(world, o);
  for (std::size_t i = 1; i < aimed.ids.size(); ++i) EXPECT_EQ(blob_of[aimed.ids[i]], 0u) << i;
}

TEST_F(Options, BalanceSpreadsPicksOverPredictedClasses) {
  std::map<std::uint64_t, std::int32_t> pred_of;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const auto begin = pool.probs.begin() + long(i * pool.classes);
    pred_of[pool.ids[i]] =
        std::int32_t(std::max_element(begin, begin + long(pool.classes)) - begin);
  }
  for (const std::string strategy : {"topk", "kcenter", "cluster-margin"}) {
    auto o = options(strategy, 40);
    o.balance = true;
    const auto got = select_batch(world, o);
    ASSERT_EQ(got.ids.size(), 40u);
    std::vector<std::size_t> count(pool.classes, 0);
    for (const auto id : got.ids) ++count[std::size_t(pred_of[id])];
    std::vector<std::uint64_t> available(pool.classes, 0);
    for (const auto& [id, c] : pred_of) ++available[std::size_t(c)];
    std::vector<std::size_t> want = class_quotas(available, 40);
    EXPECT_EQ(count, want) << strategy;
    // Interleaved: the first round holds one pick of every class that has a quota.
    std::set<std::int32_t> first_round;
    for (std::size_t i = 0; i < pool.classes; ++i) first_round.insert(pred_of[got.ids[i]]);
    EXPECT_EQ(first_round.size(), pool.classes) << strategy;
  }
}

}  // namespace
TEST_F(Options, DefaultCandidatesAreTwiceK) {
  EXPECT_EQ(candidate_count(20, 0), 40u);
  EXPECT_EQ(candidate_count(20, 10), 20u);  // never fewer than k
  EXPECT_EQ(candidate_count(20, 300), 300u);
  auto o = options("margin-kcenter", 20);
  o.candidates = 0;
  const auto by_default = select_batch(world, o);
  o.candidates = 40;
  EXPECT_EQ(select_batch(world, o).ids, by_default.ids);
  // Every pick is among the 40 most uncertain (higher margin score = more uncertain).
  std::vector<float> sorted = pool.margin;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  std::map<std::uint64_t, float> margin_of;
  for (std::size_t i = 0; i < pool.size(); ++i) margin_of[pool.ids[i]] = pool.margin[i];
  for (const auto id : by_default.ids) EXPECT_GE(margin_of[id], sorted[39]) << id;
}

}  // namespace quarry::select

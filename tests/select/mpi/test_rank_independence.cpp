// Done-when of issue 4: every strategy picks the identical selection on any rank count. Each rank
// also runs the same selection alone (MPI_COMM_SELF), so under 2 and 3 ranks the test compares
// the distributed answer with the single-rank one.
#include <gtest/gtest.h>
#include <mpi.h>

#include <bit>
#include <cmath>
#include <cstdlib>

#include "select/select_batch.hpp"
#include "support/scores_fixture.hpp"
#include "support/shared_dir.hpp"

namespace quarry::select {
namespace {

std::uint32_t bits(float value) {
  return std::bit_cast<std::uint32_t>(value);
}

class RankIndependence : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fixture = testing::make_blobs(2400, 32, 10, 11);
    if (world.is_root()) {
      testing::write_scores(dir / "scores.h5", fixture, 128);
      testing::write_scores(dir / "target.h5", testing::make_blobs(50, 32, 10, 11, 6.0), 16);
      std::vector<std::size_t> labeled;
      for (std::size_t i = 0; i < fixture.size(); i += 40) labeled.push_back(i);
      testing::write_ledger(dir / "ledger.h5", fixture, labeled);
      Selection pending;
      for (std::size_t i = 5; i < fixture.size(); i += 97)
        pending.ids.push_back(fixture.ids[i]), pending.score.push_back(0),
            pending.reason.push_back(0);
      pending.strategy = "random";
      write_selection(dir / "pending.h5", pending);
    }
    world.barrier();
  }

  SelectOptions options(const std::string& strategy) const {
    SelectOptions o;
    o.scores = dir / "scores.h5";
    o.out = dir / "unused.h5";
    o.k = 60;
    o.strategy = parse_strategy(strategy);
    o.seed = 3;
    o.candidates = 400;
    o.clusters = 12;
    return o;
  }

  // Distributed (the pool is small, so only with the layout rule turned off), with the rule (rank 0
  // alone), and by each rank on its own: the same selection.
  void expect_rank_independent(const SelectOptions& o) {
    setenv("QUARRY_GATHER_BYTES", "0", 1);
    const Selection together = select_batch(world, o);
    unsetenv("QUARRY_GATHER_BYTES");
    const Selection by_rule = select_batch(world, o);
    EXPECT_EQ(by_rule.ids, together.ids);
    EXPECT_DOUBLE_EQ(by_rule.objective, together.objective);
    const Selection alone = select_batch(comm::Communicator(MPI_COMM_SELF), o);
    ASSERT_EQ(together.ids.size(), o.k);
    EXPECT_EQ(together.ids, alone.ids);
    ASSERT_EQ(together.score.size(), alone.score.size());
    for (std::size_t i = 0; i < together.ids.size(); ++i) {
      EXPECT_EQ(bits(together.score[i]), bits(alone.score[i])) << i;
      EXPECT_EQ(bits(together.reason[i]), bits(alone.reason[i])) << i;
    }
    EXPECT_DOUBLE_EQ(together.objective, alone.objective);
    // Labeled and pending items are never picked.
    for (const auto id : together.ids)
      for (std::size_t i = 0; i < fixture.size(); ++i)
        if (fixture.ids[i] == id && o.labels) {
          EXPECT_NE(i % 40, 0u) << "labeled id " << id << " picked";
          if (!o.exclude.empty()) {
            EXPECT_FALSE(i >= 5 && (i - 5) % 97 == 0) << "pending id " << id << " picked";
          }
        }
  }

  comm::Communicator world{MPI_COMM_WORLD};
  testing::SharedDir dir{MPI_COMM_WORLD};
  testing::ScoresFixture fixture;
};

TEST_P(RankIndependence, Plain) {
  expect_rank_independent(options(GetParam()));
}

TEST_P(RankIndependence, WithLedgerAndPendingExcluded) {
  auto o = options(GetParam());
  o.labels = dir / "ledger.h5";
  o.exclude = {dir / "pending.h5"};
  expect_rank_independent(o);
}

TEST_P(RankIndependence, Balanced) {
  auto o = options(GetParam());
  o.balance = true;
  expect_rank_independent(o);
}

TEST_P(RankIndependence, TowardsATargetDomain) {
  auto o = options(GetParam());
  o.target_pool = dir / "target.h5";
  expect_rank_independent(o);
}

INSTANTIATE_TEST_SUITE_P(Strategies, RankIndependence, ::testing::ValuesIn(strategy_names()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace quarry::select

#include <gtest/gtest.h>

#include <set>

#include "core/seeded.hpp"

namespace quarry {
namespace {

TEST(Seeded, DrawsDependOnSeedAndIdOnlyAndStayInside01) {
  EXPECT_EQ(keyed_uniform(3, 42), keyed_uniform(3, 42));
  EXPECT_NE(keyed_uniform(3, 42), keyed_uniform(4, 42));
  EXPECT_NE(keyed_uniform(3, 42), keyed_uniform(3, 43));
  double sum = 0;
  for (std::uint64_t id = 0; id < 100000; ++id) {
    const double u = keyed_uniform(9, id);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.01);
}

TEST(Seeded, EveryPurposeAndIndexGetsItsOwnStream) {
  std::set<std::uint64_t> seeds;
  for (auto purpose : {Purpose::synthetic_pool, Purpose::selection, Purpose::export_batch,
                       Purpose::training, Purpose::epoch_order, Purpose::training_dropout,
                       Purpose::scoring_dropout, Purpose::seed_batch, Purpose::simulated_answers,
                       Purpose::simulated_confusions, Purpose::augmentation})
    for (std::uint64_t index = 0; index < 100; ++index)
      seeds.insert(derive_seed(7, purpose, index));
  EXPECT_EQ(seeds.size(), 11u * 100u);
  EXPECT_NE(derive_seed(7, Purpose::selection, 1), derive_seed(8, Purpose::selection, 1));
  // Round r + 1 of seed s is not round r of seed s + 1, as it was with seed + round.
  EXPECT_NE(derive_seed(7, Purpose::selection, 2), derive_seed(8, Purpose::selection, 1));
}

}  // namespace
}  // namespace quarry

// Class quotas for --balance and the seeded draws behind every random choice.
#include <gtest/gtest.h>

#include <numeric>

#include "select/distributed/seeded_hash.hpp"
#include "select/strategies/balance.hpp"

namespace quarry::select {
namespace {

TEST(ClassQuotas, EqualSharesWithLeftoverToLowClasses) {
  EXPECT_EQ(class_quotas({100, 100, 100}, 10), (std::vector<std::size_t>{4, 3, 3}));
  EXPECT_EQ(class_quotas({100, 100}, 10), (std::vector<std::size_t>{5, 5}));
}

TEST(ClassQuotas, ScarceClassesGiveTheirShareToOthers) {
  EXPECT_EQ(class_quotas({1, 100, 0, 100}, 10), (std::vector<std::size_t>{1, 5, 0, 4}));
  EXPECT_EQ(class_quotas({2, 3, 50}, 30), (std::vector<std::size_t>{2, 3, 25}));
  const auto q = class_quotas({5, 5, 5}, 20);  // asks for more than there is: everything
  EXPECT_EQ(q, (std::vector<std::size_t>{5, 5, 5}));
}

TEST(SeededHash, DrawsDependOnSeedAndIdOnlyAndStayInside01) {
  EXPECT_EQ(item_uniform(3, 42), item_uniform(3, 42));
  EXPECT_NE(item_uniform(3, 42), item_uniform(4, 42));
  EXPECT_NE(item_uniform(3, 42), item_uniform(3, 43));
  double sum = 0;
  for (std::uint64_t id = 0; id < 100000; ++id) {
    const double u = item_uniform(9, id);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.01);
}

}  // namespace
}  // namespace quarry::select

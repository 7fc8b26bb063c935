// Class quotas for --balance and the seeded draws behind every random choice.
#include <gtest/gtest.h>

#include <numeric>

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

}  // namespace
}  // namespace quarry::select

// Confident learning flags a planted wrong label (its out-of-fold prediction is confidently
// another class) and leaves the right labels, also the uncertain ones; the folds are balanced,
// seeded by id, and independent of row order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "audit/confident.hpp"
#include "audit/folds.hpp"
#include "core/error.hpp"

namespace quarry::audit {
namespace {

TEST(ConfidentLearning, FlagsAPlantedWrongLabel) {
  // 3 classes, 60 items: the model is confident and right on most; item 7 is truly class 1 but
  // labeled 0; item 11 is labeled 2 with an uncertain prediction (no class reaches its
  // threshold): not flagged.
  constexpr std::size_t n = 60, classes = 3;
  std::mt19937 rng(4);
  std::uniform_real_distribution<float> noise(0.0f, 0.1f);
  std::vector<float> probs;
  std::vector<std::int32_t> given;
  for (std::size_t i = 0; i < n; ++i) {
    const int truth = int(i % classes);
    std::vector<float> p(classes);
    for (std::size_t c = 0; c < classes; ++c) p[c] = noise(rng);
    p[std::size_t(truth)] += 0.8f;
    if (i == 11) p = {0.34f, 0.36f, 0.3f};
    float sum = 0;
    for (auto v : p) sum += v;
    for (auto v : p) probs.push_back(v / sum);
    given.push_back(i == 7 ? 0 : truth);
  }
  const auto audit = confident_flags(probs, given, classes);
  ASSERT_EQ(audit.flagged, std::vector<std::size_t>{7});
  EXPECT_EQ(audit.suggested, std::vector<std::int32_t>{1});
  EXPECT_GT(audit.suggested_prob[0], 0.7f);
  // Thresholds are the mean self-confidence per given label: high for these confident classes.
  for (const double t : audit.thresholds) EXPECT_GT(t, 0.6);
  // Without the planted error nothing is flagged.
  given[7] = 1;
  EXPECT_TRUE(confident_flags(probs, given, classes).flagged.empty());
}

TEST(ConfidentLearning, ThresholdsAreTheMeanSelfConfidence) {
  // Two items labeled 0 with p0 = 0.9 and 0.5: t0 = 0.7. Class 1 labeled once with p1 = 0.6.
  const std::vector<float> probs = {0.9f, 0.1f, 0.5f, 0.5f, 0.4f, 0.6f};
  const std::vector<std::int32_t> given = {0, 0, 1};
  const auto audit = confident_flags(probs, given, 2);
  EXPECT_NEAR(audit.thresholds[0], 0.7, 1e-6);
  EXPECT_NEAR(audit.thresholds[1], 0.6, 1e-6);
  EXPECT_TRUE(audit.flagged.empty());  // item 1: p0 0.5 < 0.7, p1 0.5 < 0.6: no confident label
  // A class nobody labeled has no threshold: it is never a confident label.
  const auto three =
      confident_flags(std::vector<float>{0.1f, 0.1f, 0.8f}, std::vector<std::int32_t>{0}, 3);
  EXPECT_TRUE(std::isinf(three.thresholds[2]));
  EXPECT_TRUE(three.flagged.empty());
  EXPECT_THROW(confident_flags(probs, std::vector<std::int32_t>{0, 5, 1}, 2), Error);
  EXPECT_THROW(confident_flags(probs, std::vector<std::int32_t>{0}, 2), Error);
}

TEST(Folds, AreBalancedSeededAndIndependentOfOrder) {
  std::vector<std::uint64_t> ids;
  for (std::uint64_t i = 0; i < 101; ++i) ids.push_back(1000 + 13 * i);
  const auto folds = assign_folds(ids, 3, 5);
  std::vector<int> count(3, 0);
  for (const int f : folds) ++count[std::size_t(f)];
  EXPECT_EQ(
      *std::max_element(count.begin(), count.end()) - *std::min_element(count.begin(), count.end()),
      1);
  auto reversed = ids;
  std::reverse(reversed.begin(), reversed.end());
  auto back = assign_folds(reversed, 3, 5);
  std::reverse(back.begin(), back.end());
  EXPECT_EQ(back, folds);
  EXPECT_NE(assign_folds(ids, 3, 6), folds);
}

}  // namespace
}  // namespace quarry::audit

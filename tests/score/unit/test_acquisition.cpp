#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "score/acquisition.hpp"

namespace quarry::score {
namespace {

torch::Tensor rows(std::vector<std::vector<float>> values) {
  const auto b = static_cast<long>(values.size()), c = static_cast<long>(values[0].size());
  auto t = torch::empty({b, c});
  for (long i = 0; i < b; ++i)
    for (long j = 0; j < c; ++j) t[i][j] = values[size_t(i)][size_t(j)];
  return t;
}

TEST(Acquisition, LeastConfidenceMarginEntropyByHand) {
  auto p = rows({{0.7f, 0.2f, 0.1f}, {0.4f, 0.4f, 0.2f}, {1.0f, 0.0f, 0.0f}});
  auto lc = least_confidence(p), m = margin(p), h = entropy(p);
  EXPECT_NEAR(lc[0].item<float>(), 0.3f, 1e-6);
  EXPECT_NEAR(lc[1].item<float>(), 0.6f, 1e-6);
  EXPECT_NEAR(lc[2].item<float>(), 0.0f, 1e-6);
  EXPECT_NEAR(m[0].item<float>(), 0.5f, 1e-6);  // 1 - (0.7 - 0.2)
  EXPECT_NEAR(m[1].item<float>(), 1.0f, 1e-6);  // a tie is the most informative
  EXPECT_NEAR(m[2].item<float>(), 0.0f, 1e-6);
  const double h0 = -(0.7 * std::log(0.7) + 0.2 * std::log(0.2) + 0.1 * std::log(0.1));
  EXPECT_NEAR(h[0].item<float>(), h0, 1e-5);
  EXPECT_NEAR(h[2].item<float>(), 0.0f, 1e-6);  // 0 log 0 = 0, no NaN
}

TEST(Acquisition, HigherMeansMoreUncertainForEveryFunction) {
  auto p = rows({{0.98f, 0.01f, 0.01f}, {0.34f, 0.33f, 0.33f}});
  for (auto f : {least_confidence, margin, entropy}) {
    auto s = f(p);
    EXPECT_GT(s[1].item<float>(), s[0].item<float>());
  }
}

TEST(Acquisition, BaldSeparatesDisagreementFromNoise) {
  // Item 0: every pass says 50/50 (aleatoric: no information to gain).
  // Item 1: passes disagree confidently (epistemic: high mutual information).
  auto samples =
      torch::stack({rows({{0.5f, 0.5f}, {1.0f, 0.0f}}), rows({{0.5f, 0.5f}, {0.0f, 1.0f}})});
  auto b = bald(samples);
  EXPECT_NEAR(b[0].item<float>(), 0.0f, 1e-6);
  EXPECT_NEAR(b[1].item<float>(), std::log(2.0f), 1e-5);  // H(0.5,0.5) - 0
}

TEST(Acquisition, VariationRatioCountsModalVotes) {
  // 4 passes: item 0 votes 0,0,0,1 -> 1 - 3/4; item 1 votes 1,1,1,1 -> 0.
  auto a = rows({{0.9f, 0.1f}, {0.2f, 0.8f}});
  auto b = rows({{0.3f, 0.7f}, {0.1f, 0.9f}});
  auto v = variation_ratio(torch::stack({a, a, a, b}));
  EXPECT_NEAR(v[0].item<float>(), 0.25f, 1e-6);
  EXPECT_NEAR(v[1].item<float>(), 0.0f, 1e-6);
}

}  // namespace
}  // namespace quarry::score

// BADGE's scan with and without the int8 bounds: on embeddings whose distances concentrate, as an
// untrained network's do, every row's D^2 after every center is the same bit for bit (the bounds
// only skip rows that could not move), whether the int8 copy is made from the first center or
// once the scans promise to pay for it, and the bounds do skip many of the rows the
// Cauchy-Schwarz bound leaves (a test where they skip nothing would prove nothing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <vector>

#include "select/kernels/distance.hpp"
#include "select/strategies/badge_rows.hpp"

namespace quarry::select {
namespace {

// ReLU(N(0, 1)) + 2 in `dim` dimensions; probabilities of `classes` classes, random softmax.
Shard concentrated(std::size_t n, std::size_t dim, std::size_t classes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Shard shard;
  shard.meta.count = n;
  shard.meta.classes = classes;
  shard.meta.embedding_dim = dim;
  for (std::size_t i = 0; i < n; ++i) {
    shard.ids.push_back(100 + i);
    for (std::size_t j = 0; j < dim; ++j)
      shard.embeddings.push_back(to_float16(float(std::max(0.0, normal(rng)) + 2.0)));
    std::vector<double> logits(classes);
    double sum = 0;
    for (auto& l : logits) sum += l = std::exp(1.5 * normal(rng));
    std::size_t pred = 0;
    for (std::size_t c = 0; c < classes; ++c) {
      shard.probs.push_back(to_float16(float(logits[c] / sum)));
      if (logits[c] > logits[pred]) pred = c;
    }
    shard.pred.push_back(std::int32_t(pred));
  }
  return shard;
}

GradientPoint point_of(const Shard& shard, const GradientFactors& f, std::uint32_t row) {
  GradientPoint p;
  p.a.assign(f.a_of(row), f.a_of(row) + f.classes);
  p.a2 = f.a_norm2[row];
  p.h2 = f.h_norm2[row];
  p.h16.assign(shard.embedding(row), shard.embedding(row) + shard.dim());
  p.h.resize(shard.dim());
  distance_kernels().widen(p.h16.data(), shard.dim(), p.h.data());
  return p;
}

TEST(BadgeRows, Int8BoundsKeepEveryDSquaredWhereDistancesConcentrate) {
  const Shard shard = concentrated(3000, 64, 10, 5);
  const GradientFactors f = gradient_factors(shard);
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t row = 0; row < shard.size(); ++row)
    if (row % 11 != 3) candidates.push_back(row);
  const std::size_t picks = 120;
  setenv("QUARRY_BADGE_COMPACT", "on", 1);
  BadgeRows bounded(shard, f, candidates, picks);
  setenv("QUARRY_BADGE_COMPACT", "off", 1);
  BadgeRows exact(shard, f, candidates, picks);
  unsetenv("QUARRY_BADGE_COMPACT");
  // Told of far more picks to come, the default rule makes the copy after its warm-up.
  BadgeRows later(shard, f, candidates, 1000000);
  BadgeRows never(shard, f, candidates, picks);
  // Farthest-first centers (the row of largest D^2), so the scans run deep into the cells.
  std::uint32_t center = candidates[0];
  for (std::size_t step = 0; step < picks; ++step) {
    for (auto* rows : {&bounded, &exact, &later, &never}) {
      rows->pick(center);
      rows->add_center(point_of(shard, f, center));
    }
    double largest = -1;
    for (const auto row : candidates) {
      for (const auto* rows : {&bounded, &later, &never}) {
        ASSERT_EQ(rows->open(row), exact.open(row)) << "step " << step << " row " << row;
        ASSERT_EQ(rows->d2(row), exact.d2(row)) << "step " << step << " row " << row;
      }
      if (bounded.open(row) && bounded.d2(row) > largest) largest = bounded.d2(row), center = row;
    }
    ASSERT_EQ(bounded.largest_open_d2(), largest);
  }
  EXPECT_EQ(exact.counts().bounded, 0u);
  EXPECT_EQ(never.counts().bounded, 0u);  // 120 picks of 3,000 rows: the copy would not pay
  EXPECT_GT(later.counts().bounded, 0u);
  EXPECT_LT(later.counts().bounded, bounded.counts().bounded);
  EXPECT_GT(bounded.counts().bounded, 0u);
  EXPECT_EQ(bounded.counts().visited, exact.counts().visited);
  // The int8 bounds leave at most three quarters of the rows they bound to the fp16 kernel (56%
  // here, where random probabilities spread the class factors; 10% on a real CNN's embeddings).
  const auto first = candidates.size() - 1;  // the first center's pass reads every open row
  EXPECT_LT(bounded.counts().exact - first, 3 * bounded.counts().bounded / 4);
  EXPECT_EQ(exact.counts().exact - first, bounded.counts().bounded);
}

}  // namespace
}  // namespace quarry::select

// Synthetic pools: items generated per id, with a class structure a model can learn, and the
// summary `quarry pool info` prints.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <set>

#include "pool/summary.hpp"
#include "pool/synth.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

class PoolTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
};

TEST_F(PoolTest, SynthIsDeterministicPerIdAndLabelsMatchStructure) {
  constexpr int P = 28 * 28;
  SynthSpec spec{500, {Kind::images, {1, 28, 28}}, 4, 7, 0};
  SynthGenerator generator(spec);
  std::vector<std::uint8_t> a(500 * P), b(100 * P);
  std::vector<std::uint64_t> ids_a(500), ids_b(100);
  std::vector<std::int32_t> labels_a(500), labels_b(100);
  generator.generate(0, a, ids_a, labels_a);
  generator.generate(200, b, ids_b, labels_b);  // the same items generated on their own
  EXPECT_TRUE(std::equal(b.begin(), b.end(), a.begin() + 200 * P));
  EXPECT_EQ(ids_b[0], 200u);
  std::set<std::int32_t> classes(labels_a.begin(), labels_a.end());
  EXPECT_EQ(classes.size(), 4u);

  // Class structure: each item is nearer its own class mean than any other class mean.
  std::vector<double> means(4 * P, 0.0);
  std::vector<int> counts(4, 0);
  for (int i = 0; i < 500; ++i) {
    ++counts[labels_a[i]];
    for (int p = 0; p < P; ++p) means[labels_a[i] * P + p] += a[i * P + p];
  }
  for (int c = 0; c < 4; ++c)
    for (int p = 0; p < P; ++p) means[c * P + p] /= counts[c];
  int nearest_own = 0;
  for (int i = 0; i < 500; ++i) {
    int best = 0;
    double best_distance = 1e300;
    for (int c = 0; c < 4; ++c) {
      double d = 0;
      for (int p = 0; p < P; ++p) d += std::pow(a[i * P + p] - means[c * P + p], 2);
      if (d < best_distance) best_distance = d, best = c;
    }
    nearest_own += best == labels_a[i];
  }
  EXPECT_GT(nearest_own, 450);  // learnable; blends with a second class make some ambiguous
}

TEST_F(PoolTest, SynthPoolSummary) {
  write_synth_pool({3000, {Kind::images, {1, 28, 28}}, 10, 1, 0}, dir / "s.h5", Overwrite::refuse);
  PoolSummary summary = summarize_pool(dir / "s.h5");
  EXPECT_EQ(summary.meta.count, 3000u);
  EXPECT_EQ(summary.meta.chunk_rows, 1024u);
  EXPECT_EQ(std::accumulate(summary.label_counts.begin(), summary.label_counts.end(), 0ull), 3000u);
  std::string text = format_summary(summary);
  EXPECT_NE(text.find("images 1x28x28 uint8"), std::string::npos);
  EXPECT_NE(text.find("class9"), std::string::npos);
}

}  // namespace
}  // namespace quarry::pool

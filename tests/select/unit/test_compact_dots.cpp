// The compact copy's dot products and upper bounds (BADGE brackets h.h_c with both bounds): the
// AVX2 and portable dots agree (exact integers), and lower <= the exact kernel's squared distance
// <= upper on spread and concentrated rows of every dimension shape, with the upper bound close.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "select/kernels/compact.hpp"
#include "select/kernels/distance.hpp"

namespace quarry::select {
namespace {

TEST(CompactDots, BracketTheExactDistanceOnBothKernelPaths) {
  for (const std::size_t dim : {1, 7, 31, 32, 33, 64, 128, 131}) {
    for (const double offset : {0.0, 2.0, -3.0}) {
      const std::size_t n = 150;
      std::mt19937_64 rng(3 + dim);
      std::normal_distribution<double> normal(0.0, 1.0);
      std::vector<Float16> values;
      for (std::size_t i = 0; i < n * dim; ++i)
        values.push_back(to_float16(float(std::max(0.0, normal(rng)) + offset)));
      std::vector<float> center;
      for (std::size_t j = 0; j < dim; ++j)
        center.push_back(to_float32(to_float16(float(normal(rng) + offset))));
      const CompactRows compact = CompactRows::of(values.data(), n, dim);
      const CompactCenter quantized = quantize(center.data(), dim);
      std::vector<std::uint32_t> rows;
      for (std::uint32_t i = 0; i < n; ++i) rows.push_back((i * 13) % std::uint32_t(n));
      std::vector<float> exact(n);
      distance_kernels().sq_dist_rows(values.data(), dim, rows.data(), n, center.data(),
                                      exact.data());
      std::vector<std::int64_t> fast(n), portable(n);
      compact_dots(compact, rows.data(), n, quantized, fast.data());
      portable_compact_dots(compact, rows.data(), n, quantized, portable.data());
      EXPECT_EQ(fast, portable) << compact_kernels().name << ", dim " << dim;
      double tightness = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& side = compact.side[rows[i]];
        const float lower = lower_sq_dist_bound(side, quantized.side, fast[i]);
        const float upper = upper_sq_dist_bound(side, quantized.side, fast[i]);
        EXPECT_LE(lower, exact[i]) << "dim " << dim << " row " << i;
        EXPECT_GE(upper, exact[i]) << "dim " << dim << " row " << i;
        tightness += exact[i] / upper;
      }
      if (dim >= 16) {
        EXPECT_GT(tightness / double(n), 0.85) << "dim " << dim;
      }
    }
  }
}

}  // namespace
}  // namespace quarry::select

// The compact copy's lower bounds: never above the exact kernel's distance (on both kernel paths,
// for every dimension shape, on spread and on concentrated rows), and tight enough to rule rows
// out (a bound of zero would be valid and useless).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "select/kernels/compact.hpp"
#include "select/kernels/distance.hpp"

namespace quarry::select {
namespace {

// Rows of ReLU(N(0, 1)) + offset: non-negative, their distances concentrate around one value
// as an untrained network's embeddings do; the center is another such row.
struct Rows {
  std::vector<Float16> values;
  std::vector<float> center;
};

Rows relu_rows(std::size_t n, std::size_t dim, std::uint64_t seed, double offset) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Rows r;
  for (std::size_t i = 0; i < n * dim; ++i)
    r.values.push_back(to_float16(float(std::max(0.0, normal(rng)) + offset)));
  for (std::size_t j = 0; j < dim; ++j)
    r.center.push_back(to_float32(to_float16(float(std::max(0.0, normal(rng)) + offset))));
  return r;
}

std::vector<const CompactKernels*> all_compact_kernels() {
  std::vector<const CompactKernels*> kernels = {&portable_compact_kernels()};
  if (avx2_compact_kernels()) kernels.push_back(avx2_compact_kernels());
  return kernels;
}

TEST(CompactRows, LowerBoundsNeverExceedTheExactDistance) {
  for (const std::size_t dim : {1, 7, 8, 9, 16, 17, 100, 128, 131}) {
    for (const double offset : {0.0, 5.0, -3.0}) {
      const std::size_t n = 200;
      const Rows r = relu_rows(n, dim, 7 + dim, offset);
      const CompactRows compact = CompactRows::of(r.values.data(), n, dim);
      std::vector<std::uint32_t> rows;
      for (std::uint32_t i = 0; i < n; ++i) rows.push_back((i * 7) % std::uint32_t(n));
      std::vector<float> exact(n), bound(n);
      distance_kernels().sq_dist_rows(r.values.data(), dim, rows.data(), n, r.center.data(),
                                      exact.data());
      const CompactCenter center = quantize(r.center.data(), dim);
      std::vector<float> first;
      for (const auto* kernels : all_compact_kernels()) {
        kernels->lower_sq_dist_rows(compact, rows.data(), n, center, bound.data());
        if (first.empty()) first = bound;
        EXPECT_EQ(bound, first) << kernels->name << ": exact integers, the same bounds";
        double tightness = 0;
        for (std::size_t i = 0; i < n; ++i) {
          EXPECT_LE(bound[i], exact[i]) << kernels->name << " dim " << dim << " row " << i;
          tightness += exact[i] > 0 ? bound[i] / exact[i] : 1.0;
        }
        // int8 keeps about 1% of each distance (2% with the center's): the bounds are close.
        if (dim >= 16) {
          EXPECT_GT(tightness / double(n), 0.85) << kernels->name << " dim " << dim;
        }
      }
    }
  }
}

TEST(CompactRows, RowsEqualToTheCenterBoundAtZero) {
  const Rows r = relu_rows(3, 32, 11, 0.5);
  const CompactRows compact = CompactRows::of(r.values.data(), 3, 32);
  std::vector<float> center(32);
  distance_kernels().widen(r.values.data() + 32, 32, center.data());
  const std::uint32_t row = 1;
  for (const auto* kernels : all_compact_kernels()) {
    float bound = -1;
    kernels->lower_sq_dist_rows(compact, &row, 1, quantize(center.data(), 32), &bound);
    EXPECT_EQ(bound, 0.0f) << kernels->name;
  }
}

TEST(CompactRows, ZeroRowsHaveNoSlack) {
  const std::vector<Float16> zeros(2 * 24, to_float16(0.0f));
  const CompactRows compact = CompactRows::of(zeros.data(), 2, 24);
  EXPECT_EQ(compact.side[0].scale, 0.0f);
  EXPECT_LE(compact.side[1].slack, 1e-30f);
}

}  // namespace
}  // namespace quarry::select

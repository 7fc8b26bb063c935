// The distance kernels against a float64 reference, and the AVX2 and portable paths against
// each other (bit-identical by construction: same order of additions, no FMA).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"

namespace quarry::select {
namespace {

struct Data {
  std::size_t n, dim;
  std::vector<Float16> rows;
  std::vector<float> center;
};

Data random_data(std::size_t n, std::size_t dim, std::uint64_t seed, double scale = 3.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, scale);
  Data d{n, dim, {}, {}};
  for (std::size_t i = 0; i < n * dim; ++i) d.rows.push_back(to_float16(float(normal(rng))));
  for (std::size_t j = 0; j < dim; ++j) d.center.push_back(float(normal(rng)));
  return d;
}

double reference(const Data& d, std::size_t row) {
  double sum = 0;
  for (std::size_t j = 0; j < d.dim; ++j) {
    const double diff = double(to_float32(d.rows[row * d.dim + j])) - double(d.center[j]);
    sum += diff * diff;
  }
  return sum;
}

std::vector<const DistanceKernels*> all_kernels() {
  std::vector<const DistanceKernels*> kernels = {&portable_kernels()};
  if (avx2_kernels()) kernels.push_back(avx2_kernels());
  return kernels;
}

TEST(DistanceKernels, MatchFloat64ReferenceForEveryDimensionShape) {
  for (const std::size_t dim : {1, 5, 7, 8, 9, 16, 17, 24, 100, 128, 131}) {
    const Data d = random_data(37, dim, 100 + dim);
    std::vector<std::uint32_t> rows;
    for (std::uint32_t i = 0; i < d.n; ++i) rows.push_back((i * 11) % std::uint32_t(d.n));
    for (const auto* kernels : all_kernels()) {
      std::vector<float> block(d.n), picked(d.n);
      kernels->sq_dist_block(d.rows.data(), dim, d.n, d.center.data(), block.data());
      kernels->sq_dist_rows(d.rows.data(), dim, rows.data(), rows.size(), d.center.data(),
                            picked.data());
      for (std::size_t i = 0; i < d.n; ++i) {
        const double want = reference(d, i);
        EXPECT_NEAR(block[i], want, 1e-5 * want + 1e-6) << kernels->name << " dim " << dim;
        EXPECT_EQ(picked[i], block[rows[i]]) << kernels->name << " dim " << dim;
      }
    }
  }
}

TEST(DistanceKernels, Avx2AndPortableAreBitIdentical) {
  if (!avx2_kernels()) GTEST_SKIP() << "this CPU has no AVX2/F16C";
  for (const std::size_t dim : {3, 8, 15, 16, 33, 128}) {
    const Data d = random_data(200, dim, dim, 40.0);
    std::vector<float> a(d.n), b(d.n);
    portable_kernels().sq_dist_block(d.rows.data(), dim, d.n, d.center.data(), a.data());
    avx2_kernels()->sq_dist_block(d.rows.data(), dim, d.n, d.center.data(), b.data());
    for (std::size_t i = 0; i < d.n; ++i)
      EXPECT_EQ(std::bit_cast<std::uint32_t>(a[i]), std::bit_cast<std::uint32_t>(b[i]))
          << "dim " << dim << " row " << i;
  }
}

TEST(DistanceKernels, WidenIsExactForEveryHalf) {
  std::vector<Float16> all;
  for (std::uint32_t bits = 0; bits < 65536; ++bits)
    if ((bits & 0x7c00u) != 0x7c00u) all.push_back(Float16{std::uint16_t(bits)});
  for (const auto* kernels : all_kernels()) {
    std::vector<float> out(all.size());
    kernels->widen(all.data(), all.size(), out.data());
    for (std::size_t i = 0; i < all.size(); ++i)
      ASSERT_EQ(out[i], to_float32(all[i])) << kernels->name << " bits " << all[i].bits;
  }
}

TEST(NearestCenters, AgreesWithBruteForceAcrossBlocks) {
  // More rows and centers than one GEMM block of each, so block edges are exercised.
  const std::size_t dim = 20, n = 1300, m = 1100;
  const Data rows = random_data(n, dim, 7);
  const Data centers = random_data(m, dim, 8);
  std::vector<std::uint32_t> nearest(n);
  std::vector<float> d2(n);
  nearest_centers(rows.rows, centers.rows, dim, nearest, d2);
  for (std::size_t i = 0; i < n; ++i) {
    double best = INFINITY;
    std::size_t arg = 0;
    for (std::size_t c = 0; c < m; ++c) {
      double sum = 0;
      for (std::size_t j = 0; j < dim; ++j) {
        const double diff = double(to_float32(rows.rows[i * dim + j])) -
                            double(to_float32(centers.rows[c * dim + j]));
        sum += diff * diff;
      }
      if (sum < best) best = sum, arg = c;
    }
    EXPECT_NEAR(d2[i], best, 1e-5 * best) << "row " << i;
    if (nearest[i] != arg) {  // only a near-tie may differ
      double other = 0;
      for (std::size_t j = 0; j < dim; ++j) {
        const double diff = double(to_float32(rows.rows[i * dim + j])) -
                            double(to_float32(centers.rows[nearest[i] * dim + j]));
        other += diff * diff;
      }
      EXPECT_NEAR(other, best, 1e-4 * best) << "row " << i;
    }
  }
}

TEST(NearestCenters, SecondBoundIsBelowEveryOtherCenterAndClose) {
  // Rows and centers offset far from the origin, so the GEMM's cancellation error is large.
  const std::size_t dim = 24, n = 700, m = 1100;
  Data rows = random_data(n, dim, 17), centers = random_data(m, dim, 18);
  for (auto* data : {&rows, &centers})
    for (auto& v : data->rows) v = to_float16(to_float32(v) + 40.0f);
  std::vector<std::uint32_t> nearest(n), plain(n);
  std::vector<float> d2(n), second(n), plain_d2(n);
  nearest_centers(rows.rows, centers.rows, dim, nearest, d2, second);
  nearest_centers(rows.rows, centers.rows, dim, plain, plain_d2);
  EXPECT_EQ(nearest, plain);
  EXPECT_EQ(d2, plain_d2);
  double tightness = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double closest_other = INFINITY;
    for (std::size_t c = 0; c < m; ++c) {
      if (c == nearest[i]) continue;
      double sum = 0;
      for (std::size_t j = 0; j < dim; ++j) {
        const double diff = double(to_float32(rows.rows[i * dim + j])) -
                            double(to_float32(centers.rows[c * dim + j]));
        sum += diff * diff;
      }
      closest_other = std::min(closest_other, sum);
    }
    EXPECT_LE(second[i], closest_other) << "row " << i;
    tightness += double(second[i]) / closest_other;
  }
  EXPECT_GT(tightness / double(n), 0.5);  // a bound of zero would be valid and useless
}

TEST(NearestCenters, NoCentersMeansInfinitelyFar) {
  const Data rows = random_data(4, 3, 1);
  std::vector<std::uint32_t> nearest(4);
  std::vector<float> d2(4);
  nearest_centers(rows.rows, {}, 3, nearest, d2);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(std::isinf(d2[i]));
}

}  // namespace
}  // namespace quarry::select

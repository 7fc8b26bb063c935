#include "select/kernels/nearest.hpp"

#include <cblas.h>
#include <dlfcn.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace {

constexpr std::size_t kRowBlock = 512;
constexpr std::size_t kCenterBlock = 1024;

std::vector<float> squared_norms(const std::vector<float>& values, std::size_t count,
                                 std::size_t dim) {
  std::vector<float> norms(count);
  for (std::size_t i = 0; i < count; ++i) {
    float sum = 0;
    for (std::size_t j = 0; j < dim; ++j) sum += values[i * dim + j] * values[i * dim + j];
    norms[i] = sum;
  }
  return norms;
}

void nearest_impl(std::span<const Float16> rows, std::span<const Float16> centers, std::size_t dim,
                  std::span<std::uint32_t> nearest, std::span<float> sq_dist, float* second_sq);

}  // namespace

double largest_sq_norm(std::span<const Float16> centers, std::size_t dim) {
  const auto& kernels = distance_kernels();
  const std::size_t m = centers.size() / dim;
  std::vector<float> c(dim);
  double largest = 0;
  for (std::size_t j = 0; j < m; ++j) {
    kernels.widen(centers.data() + j * dim, dim, c.data());
    double sum = 0;
    for (const float v : c) sum += double(v) * double(v);
    largest = std::max(largest, sum);
  }
  return largest;
}

double gemm_distance_error(std::size_t dim, double x_norm2, double c_norm2) {
  return 2.0 * double(2 * dim + 6) * 0x1p-24 * (x_norm2 + c_norm2);
}

void nearest_centers(std::span<const Float16> rows, std::span<const Float16> centers,
                     std::size_t dim, std::span<std::uint32_t> nearest, std::span<float> sq_dist) {
  nearest_impl(rows, centers, dim, nearest, sq_dist, nullptr);
}

void nearest_centers(std::span<const Float16> rows, std::span<const Float16> centers,
                     std::size_t dim, std::span<std::uint32_t> nearest, std::span<float> sq_dist,
                     std::span<float> second_sq) {
  nearest_impl(rows, centers, dim, nearest, sq_dist, second_sq.data());
}

namespace {

void nearest_impl(std::span<const Float16> rows, std::span<const Float16> centers, std::size_t dim,
                  std::span<std::uint32_t> nearest, std::span<float> sq_dist, float* second_sq) {
  const std::size_t n = dim ? rows.size() / dim : 0;
  const std::size_t m = dim ? centers.size() / dim : 0;
  const auto& kernels = distance_kernels();
  std::fill(nearest.begin(), nearest.begin() + long(n), static_cast<std::uint32_t>(m));
  std::fill(sq_dist.begin(), sq_dist.begin() + long(n), std::numeric_limits<float>::infinity());
  if (second_sq) std::fill(second_sq, second_sq + n, std::numeric_limits<float>::infinity());
  if (m == 0 || n == 0) return;
  const double c_norm2 = second_sq ? largest_sq_norm(centers, dim) : 0.0;

  // The GEMM keeps each row's two nearest candidates; the exact kernel then decides between
  // them, so the choice does not hinge on the GEMM's rounding (which depends on blocking).
  std::vector<float> x(kRowBlock * dim), c(kCenterBlock * dim), dots(kRowBlock * kCenterBlock);
  std::vector<float> best(kRowBlock), second(kRowBlock), row_d2(kCenterBlock);
  std::vector<std::uint32_t> runner_up(n, static_cast<std::uint32_t>(m));
  for (std::size_t r0 = 0; r0 < n; r0 += kRowBlock) {
    const std::size_t rn = std::min(kRowBlock, n - r0);
    kernels.widen(rows.data() + r0 * dim, rn * dim, x.data());
    const auto x_norms = squared_norms(x, rn, dim);
    std::fill(best.begin(), best.end(), std::numeric_limits<float>::infinity());
    std::fill(second.begin(), second.end(), std::numeric_limits<float>::infinity());
    for (std::size_t c0 = 0; c0 < m; c0 += kCenterBlock) {
      const std::size_t cn = std::min(kCenterBlock, m - c0);
      kernels.widen(centers.data() + c0 * dim, cn * dim, c.data());
      const auto c_norms = squared_norms(c, cn, dim);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(rn), int(cn), int(dim), 1.0f,
                  x.data(), int(dim), c.data(), int(dim), 0.0f, dots.data(), int(cn));
      for (std::size_t i = 0; i < rn; ++i) {
        // The distances first, in a loop the compiler vectorizes; then one rarely taken branch
        // per center (a center nearer than the second best is rare after the first few).
        const float* row_dots = dots.data() + i * cn;
        for (std::size_t j = 0; j < cn; ++j)
          row_d2[j] = std::max(0.0f, x_norms[i] + c_norms[j] - 2 * row_dots[j]);
        for (std::size_t j = 0; j < cn; ++j) {
          const float d = row_d2[j];
          if (d >= second[i]) continue;
          if (d < best[i]) {
            second[i] = best[i], runner_up[r0 + i] = nearest[r0 + i];
            best[i] = d, nearest[r0 + i] = std::uint32_t(c0 + j);
          } else {
            second[i] = d, runner_up[r0 + i] = std::uint32_t(c0 + j);
          }
        }
      }
    }
    // Centers outside the two kept are at least the second GEMM distance, less its error, away.
    if (second_sq)
      for (std::size_t i = 0; i < rn; ++i)
        second_sq[r0 + i] =
            float(std::max(0.0, double(second[i]) - gemm_distance_error(dim, x_norms[i], c_norm2)));
  }
  std::vector<float> center(dim);
  const auto exact = [&](std::size_t row, std::uint32_t index) {
    float d2 = 0;
    kernels.widen(centers.data() + std::size_t(index) * dim, dim, center.data());
    kernels.sq_dist_block(rows.data() + row * dim, dim, 1, center.data(), &d2);
    return d2;
  };
  for (std::size_t i = 0; i < n; ++i) {
    sq_dist[i] = exact(i, nearest[i]);
    if (runner_up[i] == m) continue;
    float other = exact(i, runner_up[i]);
    if (other < sq_dist[i] || (other == sq_dist[i] && runner_up[i] < nearest[i])) {
      std::swap(sq_dist[i], other);
      nearest[i] = runner_up[i];
    }
    // The loser of the two is `other` away (exactly computed: 1e-4 covers the kernel's rounding).
    if (second_sq) second_sq[i] = std::min(second_sq[i], other * (1 - 1e-4f));
  }
}

}  // namespace

void set_blas_threads(int threads) {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    set(std::max(1, threads));
}

}  // namespace quarry::select

// The compact copy and its portable bound kernel; the AVX2 kernel is in compact_avx2.cpp.
#include "select/kernels/compact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace avx2 {
void lower_sq_dist_rows(const CompactRows&, const std::uint32_t*, std::size_t, const float*,
                        float*);
}  // namespace avx2

namespace {

constexpr float kRounding = 1e-4f;

void portable_lower_sq_dist_rows(const CompactRows& compact, const std::uint32_t* rows,
                                 std::size_t count, const float* center, float* out) {
  const std::size_t dim = compact.dim;
  for (std::size_t j = 0; j < count; ++j) {
    const std::size_t row = rows[j];
    const std::int8_t* q = compact.values.data() + row * dim;
    const float s = compact.scale[row];
    float sum = 0;
    for (std::size_t i = 0; i < dim; ++i) {
      const float diff = s * float(q[i]) - center[i];
      sum = sum + diff * diff;
    }
    out[j] = lower_sq_dist_bound(sum, compact.slack[row]);
  }
}

}  // namespace

float lower_sq_dist_bound(float approx, float slack) {
  const float distance = std::sqrt(approx * (1 - kRounding)) - slack;
  return distance <= 0 ? 0.0f : distance * distance * (1 - kRounding);
}

CompactRows CompactRows::of(const Float16* rows, std::size_t count, std::size_t dim) {
  CompactRows compact;
  compact.dim = dim;
  compact.values.resize(count * dim);
  compact.scale.resize(count);
  compact.slack.resize(count);
  const auto& kernels = distance_kernels();
  std::vector<float> x(dim);
  for (std::size_t row = 0; row < count; ++row) {
    kernels.widen(rows + row * dim, dim, x.data());
    float largest = 0;
    for (const float v : x) largest = std::max(largest, std::fabs(v));
    const float s = largest / 127.0f;
    std::int8_t* q = compact.values.data() + row * dim;
    double error2 = 0;
    for (std::size_t i = 0; i < dim; ++i) {
      q[i] = s > 0 ? std::int8_t(std::clamp(std::lround(x[i] / s), -127L, 127L)) : 0;
      const float y = s * float(q[i]);  // as the bound kernels compute it
      error2 += (double(x[i]) - double(y)) * (double(x[i]) - double(y));
    }
    compact.scale[row] = s;
    compact.slack[row] =
        std::nextafter(float(std::sqrt(error2)), std::numeric_limits<float>::infinity());
  }
  return compact;
}

const CompactKernels& portable_compact_kernels() {
  static const CompactKernels kernels{"portable", portable_lower_sq_dist_rows};
  return kernels;
}

const CompactKernels* avx2_compact_kernels() {
  static const CompactKernels kernels{"avx2", avx2::lower_sq_dist_rows};
  return avx2_kernels() ? &kernels : nullptr;
}

const CompactKernels& compact_kernels() {
  const bool fast = std::string_view(distance_kernels().name) == "avx2";
  return fast ? *avx2_compact_kernels() : portable_compact_kernels();
}

}  // namespace quarry::select

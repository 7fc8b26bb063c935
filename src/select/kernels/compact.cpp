// The compact copy and its portable bound kernel; the AVX2 kernel is in compact_avx2.cpp.
#include "select/kernels/compact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace avx2 {
void lower_sq_dist_rows(const CompactRows&, const std::uint32_t*, std::size_t, const CompactCenter&,
                        float*);
void dots_rows(const CompactRows&, const std::uint32_t*, std::size_t, const CompactCenter&,
               std::int64_t*);
}  // namespace avx2

namespace {

// Absolute room, relative to ||y||, for the double arithmetic of ||y - y_c||^2: its rounding
// (about 1e-16 of the squared norms) moves the root by under 1e-7 of the norms.
constexpr double kArithmeticRoom = 1e-7;

// Quantizes `dim` values into q (symmetric int8, the largest magnitude at 127).
CompactSide quantize_into(const float* x, std::size_t dim, std::int8_t* q) {
  float largest = 0;
  for (std::size_t i = 0; i < dim; ++i) largest = std::max(largest, std::fabs(x[i]));
  const float s = largest / 127.0f, inverse = s > 0 ? 1.0f / s : 0.0f;
  double error2 = 0, norm2 = 0;
  std::int64_t q_norm2 = 0;
  for (std::size_t i = 0; i < dim; ++i) {
    // Rounded half away from zero by a truncating cast (std::lround was a libm call per value,
    // 1 us a row). Which way a value rounds only moves the error, which is measured below.
    const float v = std::clamp(x[i] * inverse, -127.0f, 127.0f);
    q[i] = std::int8_t(v + (v >= 0 ? 0.5f : -0.5f));
    const double y = double(s) * double(q[i]);
    error2 += (double(x[i]) - y) * (double(x[i]) - y);
    norm2 += y * y;
    q_norm2 += std::int64_t(q[i]) * q[i];
  }
  CompactSide side;
  side.scale = s;
  side.norm2 = double(s) * double(s) * double(q_norm2);
  const double slack = std::sqrt(error2) * (1 + 1e-9) + kArithmeticRoom * std::sqrt(norm2);
  side.slack = std::nextafter(float(slack), std::numeric_limits<float>::infinity());
  return side;
}

// The exact integer q . q_c of one row and the center (the AVX2 kernel's, value by value).
std::int64_t portable_row_dot(const CompactRows& compact, std::uint32_t row,
                              const CompactCenter& center) {
  const std::int8_t* q = compact.values.data() + std::size_t(row) * compact.dim;
  std::int64_t dot = 0;
  for (std::size_t i = 0; i < compact.dim; ++i) dot += std::int32_t(q[i]) * center.values[i];
  return dot;
}

void portable_lower_sq_dist_rows(const CompactRows& compact, const std::uint32_t* rows,
                                 std::size_t count, const CompactCenter& center, float* out) {
  for (std::size_t j = 0; j < count; ++j)
    out[j] = lower_sq_dist_bound(compact.side[rows[j]], center.side,
                                 portable_row_dot(compact, rows[j], center));
}

}  // namespace

CompactRows CompactRows::of(const Float16* rows, std::size_t count, std::size_t dim) {
  CompactRows compact;
  compact.dim = dim;
  compact.values.resize(count * dim);
  compact.side.resize(count);
  for (std::size_t row = 0; row < count; ++row)
    compact.side[row] = quantize_row(rows + row * dim, dim, compact.values.data() + row * dim);
  return compact;
}

void CompactRows::push_back_quantized(const Float16* row) {
  values.resize(values.size() + dim);
  side.push_back(quantize_row(row, dim, values.data() + values.size() - dim));
}

void CompactRows::push_back_copy(const CompactRows& from, std::size_t at) {
  const std::int8_t* q = from.values.data() + at * dim;
  values.insert(values.end(), q, q + dim);
  side.push_back(from.side[at]);
}

void CompactRows::swap_remove(std::size_t at) {
  const std::size_t last = side.size() - 1;
  if (at != last) {
    std::copy_n(values.data() + last * dim, dim, values.data() + at * dim);
    side[at] = side[last];
  }
  values.resize(last * dim);
  side.pop_back();
}

CompactCenter quantize(const float* values, std::size_t dim) {
  CompactCenter center;
  center.values.resize(dim);
  center.side = quantize_into(values, dim, center.values.data());
  return center;
}

CompactSide quantize_row(const Float16* row, std::size_t dim, std::int8_t* out) {
  thread_local std::vector<float> x;
  x.resize(dim);
  distance_kernels().widen(row, dim, x.data());
  return quantize_into(x.data(), dim, out);
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

void portable_compact_dots(const CompactRows& compact, const std::uint32_t* rows, std::size_t count,
                           const CompactCenter& center, std::int64_t* out) {
  for (std::size_t j = 0; j < count; ++j) out[j] = portable_row_dot(compact, rows[j], center);
}

void compact_dots(const CompactRows& compact, const std::uint32_t* rows, std::size_t count,
                  const CompactCenter& center, std::int64_t* out) {
  if (std::string_view(compact_kernels().name) == "avx2")
    return avx2::dots_rows(compact, rows, count, center, out);
  portable_compact_dots(compact, rows, count, center, out);
}

}  // namespace quarry::select

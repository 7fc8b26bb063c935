// AVX2 + F16C kernels. This file alone is compiled with -mavx2 -mf16c (see CMakeLists.txt) and is
// only called after a run-time CPU check; -ffp-contract=off keeps multiply and add separate so
// the result matches the portable kernels bit for bit.
#include <immintrin.h>

#include "select/kernels/distance.hpp"

namespace quarry::select::avx2 {

namespace {

inline __m256 load8(const Float16* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

inline float sq_dist_one(const Float16* row, std::size_t dim, const float* center) {
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  const std::size_t blocks = dim / 8;
  std::size_t b = 0;
  for (; b + 1 < blocks; b += 2) {
    const __m256 d0 = _mm256_sub_ps(load8(row + b * 8), _mm256_loadu_ps(center + b * 8));
    const __m256 d1 = _mm256_sub_ps(load8(row + b * 8 + 8), _mm256_loadu_ps(center + b * 8 + 8));
    acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(d0, d0));
    acc1 = _mm256_add_ps(acc1, _mm256_mul_ps(d1, d1));
  }
  if (b < blocks) {
    const __m256 d0 = _mm256_sub_ps(load8(row + b * 8), _mm256_loadu_ps(center + b * 8));
    acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(d0, d0));
  }
  const __m256 sum8 = _mm256_add_ps(acc0, acc1);
  const __m128 sum4 = _mm_add_ps(_mm256_castps256_ps128(sum8), _mm256_extractf128_ps(sum8, 1));
  const __m128 sum2 = _mm_add_ps(sum4, _mm_movehl_ps(sum4, sum4));  // (s0+s2, s1+s3)
  float total = _mm_cvtss_f32(_mm_add_ss(sum2, _mm_shuffle_ps(sum2, sum2, 1)));
  for (std::size_t j = blocks * 8; j < dim; ++j) {
    const float diff = _cvtsh_ss(row[j].bits) - center[j];
    total = total + diff * diff;
  }
  return total;
}

}  // namespace

void sq_dist_rows(const Float16* base, std::size_t dim, const std::uint32_t* rows,
                  std::size_t count, const float* center, float* out) {
  for (std::size_t j = 0; j < count; ++j) {
    if (j + 4 < count)
      _mm_prefetch(reinterpret_cast<const char*>(base + std::size_t(rows[j + 4]) * dim),
                   _MM_HINT_T0);
    out[j] = sq_dist_one(base + std::size_t(rows[j]) * dim, dim, center);
  }
}

void sq_dist_block(const Float16* rows, std::size_t dim, std::size_t count, const float* center,
                   float* out) {
  for (std::size_t j = 0; j < count; ++j) out[j] = sq_dist_one(rows + j * dim, dim, center);
}

void widen(const Float16* in, std::size_t count, float* out) {
  std::size_t j = 0;
  for (; j + 8 <= count; j += 8) _mm256_storeu_ps(out + j, load8(in + j));
  for (; j < count; ++j) out[j] = _cvtsh_ss(in[j].bits);
}

}  // namespace quarry::select::avx2

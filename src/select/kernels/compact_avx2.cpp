// The AVX2 bound kernel over the compact copy (compiled with -mavx2, called only where the
// distance kernels chose AVX2). Its rounding differs from the portable loop's; both stay within
// the margin lower_sq_dist_bound allows, so either gives a valid bound.
#include <immintrin.h>

#include "select/kernels/compact.hpp"

namespace quarry::select::avx2 {

void lower_sq_dist_rows(const CompactRows& compact, const std::uint32_t* rows, std::size_t count,
                        const float* center, float* out) {
  const std::size_t dim = compact.dim, blocks = dim / 8;
  for (std::size_t j = 0; j < count; ++j) {
    if (j + 4 < count)
      _mm_prefetch(reinterpret_cast<const char*>(compact.values.data() + rows[j + 4] * dim),
                   _MM_HINT_T0);
    const std::size_t row = rows[j];
    const std::int8_t* q = compact.values.data() + row * dim;
    const float s = compact.scale[row];
    const __m256 scale = _mm256_set1_ps(s);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t b = 0;
    for (; b + 1 < blocks; b += 2) {
      const __m128i sixteen = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + b * 8));
      const __m256 y0 = _mm256_mul_ps(scale, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(sixteen)));
      const __m256 y1 = _mm256_mul_ps(
          scale, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(sixteen, 8))));
      const __m256 d0 = _mm256_sub_ps(y0, _mm256_loadu_ps(center + b * 8));
      const __m256 d1 = _mm256_sub_ps(y1, _mm256_loadu_ps(center + b * 8 + 8));
      acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(d0, d0));
      acc1 = _mm256_add_ps(acc1, _mm256_mul_ps(d1, d1));
    }
    const __m256 sum8 = _mm256_add_ps(acc0, acc1);
    const __m128 sum4 = _mm_add_ps(_mm256_castps256_ps128(sum8), _mm256_extractf128_ps(sum8, 1));
    const __m128 sum2 = _mm_add_ps(sum4, _mm_movehl_ps(sum4, sum4));
    float total = _mm_cvtss_f32(_mm_add_ss(sum2, _mm_shuffle_ps(sum2, sum2, 1)));
    for (std::size_t i = b * 8; i < dim; ++i) {
      const float diff = s * float(q[i]) - center[i];
      total = total + diff * diff;
    }
    out[j] = lower_sq_dist_bound(total, compact.slack[row]);
  }
}

}  // namespace quarry::select::avx2

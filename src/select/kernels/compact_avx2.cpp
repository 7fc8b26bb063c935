// The AVX2 bound kernel over the compact copy (compiled with -mavx2, called only where the
// distance kernels chose AVX2): the int8 dot product 32 values at a time, exact in integers, so
// its bounds equal the portable loop's.
#include <immintrin.h>

#include "select/kernels/compact.hpp"

namespace quarry::select::avx2 {

namespace {

// Rows prefetched ahead: scattered rows, each a fresh DRAM access at a million rows.
constexpr std::size_t kAhead = 8;

// q . c over 32 values: |q| times c with q's sign (maddubs multiplies unsigned by signed; values
// lie in [-127, 127], so pairs of products stay below the int16 limit), then pairs to int32.
inline __m256i dot32(__m256i acc, const std::int8_t* q, const std::int8_t* c) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c));
  const __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(a), _mm256_sign_epi8(b, a));
  return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
}

inline std::int64_t horizontal_sum(__m256i v) {
  const __m128i four = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  const __m128i two = _mm_add_epi32(four, _mm_unpackhi_epi64(four, four));
  return std::int64_t(_mm_cvtsi128_si32(two)) + _mm_cvtsi128_si32(_mm_srli_si128(two, 4));
}

// Rows are scattered (each a fresh DRAM access at a million rows): fetch the one kAhead on,
// values and side, while this one is computed.
inline void prefetch_ahead(const CompactRows& compact, const std::uint32_t* rows, std::size_t j,
                           std::size_t count) {
  if (j + kAhead >= count) return;
  const auto* ahead = compact.values.data() + std::size_t(rows[j + kAhead]) * compact.dim;
  for (std::size_t line = 0; line < compact.dim; line += 64)
    _mm_prefetch(reinterpret_cast<const char*>(ahead + line), _MM_HINT_T0);
  _mm_prefetch(reinterpret_cast<const char*>(&compact.side[rows[j + kAhead]]), _MM_HINT_T0);
}

// The exact integer q . q_c of one row and the center.
inline std::int64_t row_dot(const CompactRows& compact, std::uint32_t row,
                            const CompactCenter& center) {
  const std::size_t dim = compact.dim, wide = dim / 32 * 32;
  const std::int8_t* q = compact.values.data() + std::size_t(row) * dim;
  const std::int8_t* c = center.values.data();
  __m256i acc = _mm256_setzero_si256();
  for (std::size_t i = 0; i < wide; i += 32) acc = dot32(acc, q + i, c + i);
  std::int64_t dot = horizontal_sum(acc);
  for (std::size_t i = wide; i < dim; ++i) dot += std::int32_t(q[i]) * c[i];
  return dot;
}

}  // namespace

void lower_sq_dist_rows(const CompactRows& compact, const std::uint32_t* rows, std::size_t count,
                        const CompactCenter& center, float* out) {
  for (std::size_t j = 0; j < count; ++j) {
    prefetch_ahead(compact, rows, j, count);
    out[j] =
        lower_sq_dist_bound(compact.side[rows[j]], center.side, row_dot(compact, rows[j], center));
  }
}

void dots_rows(const CompactRows& compact, const std::uint32_t* rows, std::size_t count,
               const CompactCenter& center, std::int64_t* out) {
  for (std::size_t j = 0; j < count; ++j) {
    prefetch_ahead(compact, rows, j, count);
    out[j] = row_dot(compact, rows[j], center);
  }
}

}  // namespace quarry::select::avx2

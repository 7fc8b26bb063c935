#pragma once
// A compact copy of fp16 embedding rows for scans that only need to rule rows out: each row as
// int8 values q with one scale s (y = s q) and an upper bound e on ||x - y||, the rounding it
// costs. The center is quantized the same way, so ||y - y_c||^2 = s^2 |q|^2 + s_c^2 |q_c|^2 -
// 2 s s_c (q . q_c) comes from an exact integer dot product: half the bytes of the fp16 rows and
// a third of the instructions per value. ||x - c|| >= ||y - y_c|| - e - e_c bounds the exact
// distance from below, so a row whose bound already reaches its current distance is skipped
// without reading its fp16 values (k-center's scan where pruning by cells fails, for example on
// the concentrated embeddings of an untrained model). The bound allows for every rounding, so
// skipping never changes a result: the rows it leaves are computed exactly as before.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/float16.hpp"

namespace quarry::select {

// Per row: the scale, e (rounded up, with room for the double arithmetic), and s^2 |q|^2.
struct CompactSide {
  double norm2 = 0;
  float scale = 0, slack = 0;
};

// One quantized vector: the rows' int8 form and the centers'.
struct CompactCenter {
  std::vector<std::int8_t> values;
  CompactSide side;
};

struct CompactRows {
  std::size_t dim = 0;
  std::vector<std::int8_t> values;  // [rows, dim]
  std::vector<CompactSide> side;    // per row

  // The compact copy of `count` fp16 rows of `dim` values.
  static CompactRows of(const Float16* rows, std::size_t count, std::size_t dim);

  std::size_t size() const { return side.size(); }
  // Grown a row at a time (k-center keeps one copy per cell, contiguous): an fp16 row quantized,
  // or row `at` of another copy of the same width.
  void push_back_quantized(const Float16* row);
  void push_back_copy(const CompactRows& from, std::size_t at);
  // Row `at` takes the last row's place (order is not kept).
  void swap_remove(std::size_t at);
};

// `dim` fp32 values (a center) quantized as the rows are.
CompactCenter quantize(const float* values, std::size_t dim);
// One fp16 row of `dim` values quantized into `out` (CompactRows::of's rows, one at a time).
CompactSide quantize_row(const Float16* row, std::size_t dim, std::int8_t* out);

struct CompactKernels {
  const char* name;  // "avx2" or "portable"
  // out[j] <= the exact kernel's squared distance from base[rows[j]] to the center that
  // `center` quantizes (sq_dist_rows in distance.hpp), from the compact copy alone.
  void (*lower_sq_dist_rows)(const CompactRows& compact, const std::uint32_t* rows,
                             std::size_t count, const CompactCenter& center, float* out);
};

// AVX2 where the distance kernels use it (the same choice, QUARRY_SIMD included). Both add
// integers exactly, so they return identical bounds.
const CompactKernels& compact_kernels();
const CompactKernels& portable_compact_kernels();
// nullptr when this CPU lacks AVX2.
const CompactKernels* avx2_compact_kernels();

// The bound from the exact integer dot product q . q_c of a row and a center; 1e-4 of relative
// room for the exact kernel's fp32 rounding (far above its 1e-5). Inline: it runs per row.
inline float lower_sq_dist_bound(const CompactSide& row, const CompactSide& center,
                                 std::int64_t dot) {
  const double apart2 =
      row.norm2 + center.norm2 - 2.0 * double(row.scale) * double(center.scale) * double(dot);
  const double distance =
      std::sqrt(apart2 > 0 ? apart2 : 0.0) - double(row.slack) - double(center.slack);
  return distance <= 0 ? 0.0f : float(distance * distance * (1 - 1e-4));
}

// The matching upper bound, (||y - y_c|| + e + e_c)^2 with the same room for the exact kernel's
// rounding, rounded up: never below the exact kernel's squared distance. With the lower bound it
// brackets h.h_c for BADGE, whose distance falls with h.h_c where the class factors' dot is
// positive and rises with it where that is negative.
inline float upper_sq_dist_bound(const CompactSide& row, const CompactSide& center,
                                 std::int64_t dot) {
  const double apart2 =
      row.norm2 + center.norm2 - 2.0 * double(row.scale) * double(center.scale) * double(dot);
  const double distance =
      std::sqrt(apart2 > 0 ? apart2 : 0.0) + double(row.slack) + double(center.slack);
  const float bound = float(distance * distance * (1 + 1e-4));
  return std::nextafter(bound, std::numeric_limits<float>::infinity());
}

// out[j] = q . q_c for the compact rows rows[j], exact integers (the AVX2 loop where
// compact_kernels() is AVX2), for callers that need both bounds; the portable loop gives the
// same integers.
void compact_dots(const CompactRows& compact, const std::uint32_t* rows, std::size_t count,
                  const CompactCenter& center, std::int64_t* out);
void portable_compact_dots(const CompactRows& compact, const std::uint32_t* rows, std::size_t count,
                           const CompactCenter& center, std::int64_t* out);

}  // namespace quarry::select

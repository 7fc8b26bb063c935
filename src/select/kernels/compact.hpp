#pragma once
// A compact copy of fp16 embedding rows for scans that only need to rule rows out: each row as
// int8 values q with one fp32 scale s (y = s * q, rounded to fp32 as the kernels round it) and
// an upper bound e on ||x - y||, the rounding it costs. Half the bytes of the fp16 rows are read
// per row, and ||x - c|| >= ||y - c|| - e bounds the exact distance from below, so a row whose
// bound already reaches its current distance is skipped without reading its fp16 values (k-center's
// scan where pruning by cells fails, for example on the concentrated embeddings of an untrained
// model). The bound allows for the rounding of both computations, so skipping never changes a
// result: the rows it leaves are computed exactly as before.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/float16.hpp"

namespace quarry::select {

struct CompactRows {
  std::size_t dim = 0;
  std::vector<std::int8_t> values;  // [rows, dim]
  std::vector<float> scale;         // per row
  std::vector<float> slack;         // per row: e >= ||x - y||, rounded up

  // The compact copy of `count` fp16 rows of `dim` values.
  static CompactRows of(const Float16* rows, std::size_t count, std::size_t dim);
};

struct CompactKernels {
  const char* name;  // "avx2" or "portable"
  // out[j] <= the exact kernel's ||base[rows[j]] - center||^2 (sq_dist_rows in distance.hpp),
  // from the compact copy alone.
  void (*lower_sq_dist_rows)(const CompactRows& compact, const std::uint32_t* rows,
                             std::size_t count, const float* center, float* out);
};

// AVX2 where the distance kernels use it (the same choice, QUARRY_SIMD included).
const CompactKernels& compact_kernels();
const CompactKernels& portable_compact_kernels();
// nullptr when this CPU lacks AVX2.
const CompactKernels* avx2_compact_kernels();

// The bound from ||y - c||^2 as computed in fp32 (`approx`) and the row's slack: allows 1e-4 of
// relative rounding on each side, far above what 128- to 4096-value fp32 sums can accumulate.
float lower_sq_dist_bound(float approx, float slack);

}  // namespace quarry::select

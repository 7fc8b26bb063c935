#pragma once
// Squared Euclidean distances between fp16 embedding rows and one fp32 center: the inner loop of
// every diversity strategy. Selection is memory-bandwidth bound, so rows stay fp16 in memory and
// are widened in registers (F16C). Two implementations, chosen once at run time: AVX2+F16C where
// the CPU has them, a portable loop otherwise. Both add in the same order (two 8-lane
// accumulators over alternating 8-value blocks, the same horizontal reduction, the tail last,
// no fused multiply-add), so they return bit-identical results: a selection never depends on
// which CPU computed it.
#include <cstddef>
#include <cstdint>

#include "core/float16.hpp"

namespace quarry::select {

struct DistanceKernels {
  const char* name;  // "avx2" or "portable"
  // out[j] = ||base[rows[j]] - center||^2, rows of `dim` fp16 values.
  void (*sq_dist_rows)(const Float16* base, std::size_t dim, const std::uint32_t* rows,
                       std::size_t count, const float* center, float* out);
  // out[j] = ||rows[j] - center||^2 for `count` consecutive rows.
  void (*sq_dist_block)(const Float16* rows, std::size_t dim, std::size_t count,
                        const float* center, float* out);
  // out[j] = float(in[j]) (exact).
  void (*widen)(const Float16* in, std::size_t count, float* out);
};

// The kernels this process uses: AVX2 when the CPU has AVX2 and F16C, unless the environment
// sets QUARRY_SIMD=portable (for tests and benchmarks).
const DistanceKernels& distance_kernels();
const DistanceKernels& portable_kernels();
// nullptr when this CPU lacks AVX2 or F16C.
const DistanceKernels* avx2_kernels();

}  // namespace quarry::select

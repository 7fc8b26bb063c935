#pragma once
// Many distances at once: for every row, its nearest of a set of centers, through blocked
// single-precision GEMM (OpenBLAS), ||x||^2 + ||c||^2 - 2 x.c with negatives clamped to zero
// (faiss' formulation). The GEMM only shortlists each row's two nearest centers; the exact SIMD
// kernel decides between them and gives the distance, so neither depends on BLAS blocking or on
// how rows were split across ranks.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/float16.hpp"

namespace quarry::select {

// rows: fp16 [n, dim]; centers: fp16 [m, dim] (m may be 0: every distance is +inf and nearest
// is m). Ties go to the lower center index.
void nearest_centers(std::span<const Float16> rows, std::span<const Float16> centers,
                     std::size_t dim, std::span<std::uint32_t> nearest, std::span<float> sq_dist);

// Sets OpenBLAS' thread count (no effect with another BLAS): ranks on a node share its cores.
void set_blas_threads(int threads);

}  // namespace quarry::select

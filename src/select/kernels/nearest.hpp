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

// As nearest_centers, and also second_sq[i] <= the squared distance from row i to every center but
// nearest[i] (the GEMM's rounding bound subtracted; +inf with a single center): the lower bound
// Hamerly's k-means keeps per row.
void nearest_centers(std::span<const Float16> rows, std::span<const Float16> centers,
                     std::size_t dim, std::span<std::uint32_t> nearest, std::span<float> sq_dist,
                     std::span<float> second_sq);

// How far the GEMM's ||x||^2 + ||c||^2 - 2 x.c may stray from the exact squared distance, for a
// row with squared norm x_norm2 and centers whose squared norms are at most c_norm2: twice the
// textbook bound (2 dim + 6) u (||x||^2 + ||c||^2) on fp32 dot products and norms, u = 2^-24.
double gemm_distance_error(std::size_t dim, double x_norm2, double c_norm2);

// The largest squared norm of `centers` (fp16 [m, dim]), for gemm_distance_error.
double largest_sq_norm(std::span<const Float16> centers, std::size_t dim);

// Sets OpenBLAS' thread count (no effect with another BLAS): ranks on a node share its cores.
void set_blas_threads(int threads);

}  // namespace quarry::select

// Run-time choice between the AVX2 and portable kernels.
#include <cstdlib>
#include <string>

#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace avx2 {
void sq_dist_rows(const Float16*, std::size_t, const std::uint32_t*, std::size_t, const float*,
                  float*);
void sq_dist_block(const Float16*, std::size_t, std::size_t, const float*, float*);
void widen(const Float16*, std::size_t, float*);
}  // namespace avx2

const DistanceKernels* avx2_kernels() {
  static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c");
  static const DistanceKernels kernels{"avx2", avx2::sq_dist_rows, avx2::sq_dist_block,
                                       avx2::widen};
  return supported ? &kernels : nullptr;
}

const DistanceKernels& distance_kernels() {
  static const DistanceKernels& chosen = [&]() -> const DistanceKernels& {
    const char* forced = std::getenv("QUARRY_SIMD");
    if (forced && std::string(forced) == "portable") return portable_kernels();
    const DistanceKernels* fast = avx2_kernels();
    return fast ? *fast : portable_kernels();
  }();
  return chosen;
}

}  // namespace quarry::select

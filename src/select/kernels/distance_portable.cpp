// The portable kernels: plain C++ that adds in exactly the order of the AVX2 kernels.
#include <array>

#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace {

// fp16 -> fp32 for all 65536 bit patterns: one load per value instead of bit fiddling.
const std::array<float, 65536>& widen_table() {
  static const std::array<float, 65536> table = [] {
    std::array<float, 65536> t{};
    for (std::uint32_t bits = 0; bits < 65536; ++bits)
      t[bits] = to_float32(Float16{static_cast<std::uint16_t>(bits)});
    return t;
  }();
  return table;
}

float sq_dist_one(const float* table, const Float16* row, std::size_t dim, const float* center) {
  float acc[2][8] = {};
  const std::size_t blocks = dim / 8;
  for (std::size_t b = 0; b < blocks; ++b) {
    float* lane = acc[b & 1];
    for (std::size_t l = 0; l < 8; ++l) {
      const float diff = table[row[b * 8 + l].bits] - center[b * 8 + l];
      lane[l] = lane[l] + diff * diff;
    }
  }
  // Mirrors the AVX2 reduction: acc0+acc1, high half + low half, then pairs.
  float sum8[8];
  for (std::size_t l = 0; l < 8; ++l) sum8[l] = acc[0][l] + acc[1][l];
  float sum4[4];
  for (std::size_t l = 0; l < 4; ++l) sum4[l] = sum8[l] + sum8[l + 4];
  const float low = sum4[0] + sum4[2];
  const float high = sum4[1] + sum4[3];
  float total = low + high;
  for (std::size_t j = blocks * 8; j < dim; ++j) {
    const float diff = table[row[j].bits] - center[j];
    total = total + diff * diff;
  }
  return total;
}

void sq_dist_rows(const Float16* base, std::size_t dim, const std::uint32_t* rows,
                  std::size_t count, const float* center, float* out) {
  const float* table = widen_table().data();
  for (std::size_t j = 0; j < count; ++j)
    out[j] = sq_dist_one(table, base + std::size_t(rows[j]) * dim, dim, center);
}

void sq_dist_block(const Float16* rows, std::size_t dim, std::size_t count, const float* center,
                   float* out) {
  const float* table = widen_table().data();
  for (std::size_t j = 0; j < count; ++j) out[j] = sq_dist_one(table, rows + j * dim, dim, center);
}

void widen(const Float16* in, std::size_t count, float* out) {
  const float* table = widen_table().data();
  for (std::size_t j = 0; j < count; ++j) out[j] = table[in[j].bits];
}

}  // namespace

const DistanceKernels& portable_kernels() {
  static const DistanceKernels kernels{"portable", sq_dist_rows, sq_dist_block, widen};
  return kernels;
}

}  // namespace quarry::select

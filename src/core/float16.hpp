#pragma once
// IEEE 754 binary16 ("fp16") stored as its bit pattern. Scores files keep probabilities and
// embeddings in fp16 (half the bytes to stream in selection); these scalar conversions are the
// portable reference. Hot loops use F16C where the CPU has it (select/).
#include <cstdint>

namespace quarry {

struct Float16 {
  std::uint16_t bits = 0;
};

// Round to nearest, ties to even; overflow gives infinity, NaN stays NaN.
Float16 to_float16(float value);
float to_float32(Float16 value);

}  // namespace quarry

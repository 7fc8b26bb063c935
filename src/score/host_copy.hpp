#pragma once
// Device tensors to the unit's host columns (engine.cpp and detection_scoring.cpp). Includes
// torch.
#include <torch/torch.h>

#include <cstring>

#include "core/float16.hpp"

namespace quarry::score {

// Host copy of `values` in fp16 (round to nearest even, as to_float16 does).
inline void copy_half(const torch::Tensor& values, Float16* out) {
  auto half = values.to(torch::kCPU).to(torch::kHalf).contiguous();
  std::memcpy(static_cast<void*>(out), half.data_ptr<at::Half>(), half.numel() * sizeof(Float16));
}

template <class T>
inline void copy_to_host(const torch::Tensor& values, T* out) {
  auto host = values.to(torch::kCPU).contiguous();
  std::memcpy(out, host.data_ptr<T>(), host.numel() * sizeof(T));
}

}  // namespace quarry::score

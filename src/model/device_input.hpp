#pragma once
// Raw pool batches into a model's float input on its device: the CPU path, the CUDA staging
// path (cuda_input.cpp, only against a CUDA LibTorch) and the choice of device. Scoring and
// evaluation both feed models through it.
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "model/loaded_model.hpp"

namespace quarry::model {

// A batch of consecutive pool rows as the reader delivers it (pixels or features, not both).
struct BatchView {
  std::uint64_t first_row = 0;
  std::uint64_t count = 0;
  const std::uint64_t* ids = nullptr;
  const std::uint8_t* pixels = nullptr;  // count x item elements, image pools
  const float* features = nullptr;       // count x item elements, feature pools
};

// Every batch has this shape: `batch` items of `item_shape` ({C, H, W} or {D}); the last batch
// of a shard is padded with zeros.
struct InputGeometry {
  std::vector<std::int64_t> item_shape;
  std::int64_t batch = 256;
};

// Turns a raw batch into the model's float input on its device, normalisation fused in. The CPU
// version converts in one pass into a buffer allocated once; the CUDA one (cuda_input.cpp, built
// only against a CUDA LibTorch) stages uint8 in pinned buffers and converts on the GPU.
class DeviceInput {
 public:
  virtual ~DeviceInput() = default;
  virtual const torch::Tensor& prepare(const BatchView& batch) = 0;
  virtual const torch::Tensor& padding_batch() = 0;  // a batch of zeros (warm-up)
};

std::unique_ptr<DeviceInput> make_cpu_input(const InputGeometry& geometry, InputAffine affine);
#ifdef QUARRY_WITH_CUDA
std::unique_ptr<DeviceInput> make_cuda_input(const InputGeometry& geometry, InputAffine affine,
                                             torch::Device device);
#endif

// CUDA device `local_rank % visible devices` when LibTorch sees a GPU, else the CPU.
torch::Device choose_device(int local_rank);

}  // namespace quarry::model

// CUDA staging of input batches: built only against a CUDA LibTorch (see CMakeLists.txt).
// uint8 batches go into pinned host buffers allocated once, are copied to the GPU non-blocking on
// a side stream, and converted to float (normalisation fused) on the compute stream; two buffers
// alternate, so the copy of batch i+1 overlaps the model's work on batch i.
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <array>
#include <cstring>

#include "model/device_input.hpp"

namespace quarry::model {

namespace {

class CudaInput : public DeviceInput {
 public:
  CudaInput(const InputGeometry& geometry, InputAffine affine, torch::Device device)
      : affine_(affine),
        device_(device),
        guard_(device),
        copy_stream_(c10::cuda::getStreamFromPool(/*isHighPriority=*/false, device.index())) {
    std::vector<std::int64_t> shape{geometry.batch};
    shape.insert(shape.end(), geometry.item_shape.begin(), geometry.item_shape.end());
    const bool features = geometry.item_shape.size() == 1;
    const auto raw = features ? torch::kFloat32 : torch::kUInt8;
    for (auto& slot : slots_) {
      slot.host = torch::zeros(shape, torch::TensorOptions().dtype(raw).pinned_memory(true));
      slot.device = torch::zeros(shape, torch::TensorOptions().dtype(raw).device(device));
    }
    input_ = torch::zeros(shape, torch::TensorOptions().dtype(torch::kFloat32).device(device));
    item_bytes_ = static_cast<std::size_t>(slots_[0].host.nbytes() / geometry.batch);
  }

  const torch::Tensor& prepare(const BatchView& batch) override {
    Slot& slot = slots_[next_++ % slots_.size()];
    // The pinned buffer may still be the source of the copy issued two batches ago.
    slot.copied.synchronize();
    auto* host = static_cast<std::uint8_t*>(slot.host.data_ptr());
    const std::size_t bytes = batch.count * item_bytes_;
    std::memcpy(host,
                batch.pixels ? static_cast<const void*>(batch.pixels)
                             : static_cast<const void*>(batch.features),
                bytes);
    std::memset(host + bytes, 0, static_cast<std::size_t>(slot.host.nbytes()) - bytes);
    {
      c10::cuda::CUDAStreamGuard on_copy_stream(copy_stream_);
      slot.device.copy_(slot.host, /*non_blocking=*/true);
      slot.copied.record(copy_stream_);
    }
    // The compute stream waits for the copy, then converts on the GPU.
    slot.copied.block(c10::cuda::getCurrentCUDAStream(device_.index()));
    input_.copy_(slot.device);
    input_.mul_(affine_.scale).add_(affine_.shift);
    return input_;
  }

  const torch::Tensor& padding_batch() override {
    input_.zero_();
    return input_;
  }

 private:
  struct Slot {
    torch::Tensor host, device;
    at::cuda::CUDAEvent copied;
  };
  InputAffine affine_;
  torch::Device device_;
  c10::cuda::CUDAGuard guard_;
  c10::cuda::CUDAStream copy_stream_;
  std::array<Slot, 2> slots_;
  std::size_t next_ = 0;
  std::size_t item_bytes_ = 0;
  torch::Tensor input_;
};

}  // namespace

std::unique_ptr<DeviceInput> make_cuda_input(const InputGeometry& geometry, InputAffine affine,
                                             torch::Device device) {
  return std::make_unique<CudaInput>(geometry, affine, device);
}

}  // namespace quarry::model

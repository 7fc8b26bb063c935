#include "model/device_input.hpp"

#include <algorithm>

namespace quarry::model {

torch::Device choose_device(int local_rank) {
  if (!torch::cuda::is_available()) return torch::kCPU;
  const int devices = static_cast<int>(torch::cuda::device_count());
  return {torch::kCUDA, static_cast<c10::DeviceIndex>(local_rank % devices)};
}

namespace {

class CpuInput : public DeviceInput {
 public:
  CpuInput(const InputGeometry& geometry, InputAffine affine) : affine_(affine) {
    std::vector<std::int64_t> shape{geometry.batch};
    shape.insert(shape.end(), geometry.item_shape.begin(), geometry.item_shape.end());
    input_ = torch::zeros(shape);  // allocated once; every batch is converted into it
    elements_ = static_cast<std::size_t>(input_.numel() / geometry.batch);
  }

  // uint8 (or float features) to float in one pass with the normalisation fused in; padding
  // rows of a short last batch are zeroed.
  const torch::Tensor& prepare(const BatchView& batch) override {
    float* out = input_.data_ptr<float>();
    const std::size_t n = batch.count * elements_;
    const float a = affine_.scale, b = affine_.shift;
    if (batch.pixels) {
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(batch.pixels[i]) * a + b;
    } else {
      for (std::size_t i = 0; i < n; ++i) out[i] = batch.features[i] * a + b;
    }
    std::fill(out + n, out + input_.numel(), 0.0f);
    return input_;
  }

  const torch::Tensor& padding_batch() override {
    input_.zero_();
    return input_;
  }

 private:
  InputAffine affine_;
  torch::Tensor input_;
  std::size_t elements_ = 0;
};

}  // namespace

std::unique_ptr<DeviceInput> make_cpu_input(const InputGeometry& geometry, InputAffine affine) {
  return std::make_unique<CpuInput>(geometry, affine);
}

}  // namespace quarry::model

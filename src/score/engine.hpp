#pragma once
// The scoring engine: batches of raw items in, one unit's columns out (predictions, fp16
// probabilities and embeddings, acquisition scores). It depends only on LibTorch and core/, so it
// builds on its own (QUARRY_ENGINE_ONLY, tools/gpu-check) on machines without MPI or HDF5.
//
// Every batch has the same shape (the last one is padded), so each item's result depends only
// on its position in the global batch grid: the same for any rank count.
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/loaded_model.hpp"
#include "score/unit_result.hpp"

namespace quarry::score {

// A batch of consecutive pool rows as the reader delivers it (pixels or features, not both).
struct BatchView {
  std::uint64_t first_row = 0;
  std::uint64_t count = 0;
  const std::uint64_t* ids = nullptr;
  const std::uint8_t* pixels = nullptr;  // count x item elements, image pools
  const float* features = nullptr;       // count x item elements, feature pools
};

struct EngineSettings {
  std::vector<std::int64_t> item_shape;  // {C, H, W} or {D}
  std::int64_t batch = 256;
  std::vector<std::string> acquisitions;  // see known_acquisitions()
  int mc_samples = 0;
  std::uint64_t seed = 0;
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

std::unique_ptr<DeviceInput> make_cpu_input(const EngineSettings& settings,
                                            model::InputAffine affine);
#ifdef QUARRY_WITH_CUDA
std::unique_ptr<DeviceInput> make_cuda_input(const EngineSettings& settings,
                                             model::InputAffine affine, torch::Device device);
#endif

// CUDA device `local_rank % visible devices` when LibTorch sees a GPU, else the CPU.
torch::Device choose_device(int local_rank);

class ScoringEngine {
 public:
  // The model must already be on `device` (LoadedModel::to).
  ScoringEngine(model::LoadedModel& model, EngineSettings settings, torch::Device device);

  void warm_up();
  // Scores `batch` into `unit`, which holds its rows.
  void score(const BatchView& batch, UnitResult& unit);
  // Bad model output is bad input: checked once a unit is scored, before it is committed, so
  // the message lists every such item of the unit.
  void throw_if_nonfinite(const std::string& model_name) const;

 private:
  void check_finite(const torch::Tensor& logits, const BatchView& batch);
  torch::Tensor monte_carlo(const torch::Tensor& input, std::uint64_t first_row,
                            std::int64_t count);

  model::LoadedModel& model_;
  EngineSettings settings_;
  // The functions of settings_.acquisitions, looked up once.
  std::vector<torch::Tensor (*)(const torch::Tensor&, const torch::Tensor&)> acquire_;
  std::unique_ptr<DeviceInput> input_;
  std::vector<std::uint64_t> nonfinite_;
};

// The acquisition functions `quarry score` knows, in file order, from one table in engine.cpp;
// needs_samples: whether one needs Monte-Carlo samples (UsageError for an unknown name).
const std::vector<std::string>& known_acquisitions();
bool needs_samples(const std::string& acquisition);

}  // namespace quarry::score

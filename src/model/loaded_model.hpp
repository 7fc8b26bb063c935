#pragma once
// The model contract (docs/model.md): a TorchScript file whose forward takes float32 [B,C,H,W] (or
// [B,D]) and returns logits [B,C], a tuple (logits, embedding [B,E]) or a dict with keys
// "logits" and "embedding". Normalisation comes from the model's attributes input_scale,
// input_mean and input_std when present (then the model applies it itself), else from config.
// Detection models (pools whose task is detect or keypoints) return the dict of
// model/detection_output.hpp instead. Includes torch: only score/ and train/ use this header.
#include <torch/script.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/detection_output.hpp"

namespace quarry::model {

struct Normalisation {
  double scale = 1.0 / 255.0, mean = 0.0, std = 1.0;
};

// uint8 (or feature) values become model inputs as value * scale + shift, in one pass over the
// batch (quarry's conversion); identity when the model normalises itself.
struct InputAffine {
  float scale = 1.0f, shift = 0.0f;
};

struct ModelOutput {
  torch::Tensor logits;                       // [B, C]; undefined for detection models
  torch::Tensor embedding;                    // [B, E]; undefined when the model returns none
  std::optional<DetectionOutput> detections;  // detection models only
};

// What the pool asks of a model: its item shape (without the batch dimension), class count and,
// for pools with objects, the detection contract with K keypoints (0 for detect pools).
struct ModelContract {
  std::vector<std::int64_t> input_shape;
  std::int64_t classes = 0;
  bool detection = false;
  std::int64_t keypoints = 0;
};

// What a detection model's probe returned besides the required entries.
struct DetectionLayout {
  std::int64_t slots = 0;  // D
  bool probs = false, keypoints = false, heatmaps = false;
};

class LoadedModel {
 public:
  // Loads and probes the model with a zero batch of `input_shape` (without the batch
  // dimension): InputError (exit 2) when the file is not TorchScript, forward fails on that
  // shape, its output breaks the contract, or its class count differs from `classes`.
  static LoadedModel load(const std::filesystem::path& path,
                          const std::vector<std::int64_t>& input_shape, std::int64_t classes,
                          const Normalisation& fallback = {});
  // The same for any pool; a detection contract's output is checked on every forward.
  static LoadedModel load(const std::filesystem::path& path, const ModelContract& contract,
                          const Normalisation& fallback = {});

  // Applies the config normalisation when the model has none of its own, then runs forward.
  ModelOutput forward(const torch::Tensor& input);
  // Forward on an input already converted with input_affine() (the scoring hot path).
  ModelOutput forward_prepared(const torch::Tensor& input);
  InputAffine input_affine() const;

  // Freezes the module and runs torch::jit::optimize_for_inference on it (folds constants,
  // fuses conv+relu, oneDNN convolutions on CPU). Dropout is removed from the optimised module;
  // Monte-Carlo passes keep using the original one.
  void optimize_for_inference();

  // Monte-Carlo dropout: prepares a copy of the module with dropout on and everything else
  // (batch norm) in eval mode, and checks on a random batch of `input_shape` (with the batch
  // dimension) that two passes differ: a model without dropout gets an InputError, since BALD
  // and variation ratio would be meaningless. Call before the first forward_stochastic.
  void enable_monte_carlo(const std::vector<std::int64_t>& input_shape);
  ModelOutput forward_stochastic(const torch::Tensor& input);

  // Moves the parameters to `device` (a GPU for one rank per GPU); inputs must live there too.
  void to(const torch::Device& device);
  const torch::Device& device() const { return device_; }

  torch::jit::Module& module() { return module_; }
  bool normalises_itself() const { return normalises_itself_; }
  std::int64_t embedding_size() const { return embedding_size_; }
  bool detects() const { return contract_.detection; }
  const DetectionLayout& detection_layout() const { return layout_; }

 private:
  LoadedModel(torch::jit::Module module, std::string name, bool normalises_itself,
              Normalisation fallback, ModelContract contract)
      : module_(std::move(module)),
        name_(std::move(name)),
        normalises_itself_(normalises_itself),
        fallback_(fallback),
        contract_(std::move(contract)) {}
  // forward's result for a batch of `batch` rows under this model's contract.
  ModelOutput parse(const c10::IValue& value, std::int64_t batch) const;

  torch::jit::Module module_;                     // what deterministic passes run (maybe optimised)
  std::optional<torch::jit::Module> stochastic_;  // dropout on, for Monte-Carlo passes
  std::string name_;
  torch::Device device_ = torch::kCPU;
  bool normalises_itself_;
  Normalisation fallback_;
  ModelContract contract_;
  std::int64_t embedding_size_ = 0;
  DetectionLayout layout_;
};

// Interprets a classifier's forward result under the contract; InputError naming `model`
// otherwise.
ModelOutput parse_output(const c10::IValue& value, const std::string& model);

}  // namespace quarry::model

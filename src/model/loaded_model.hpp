#pragma once
// The model contract (docs/model.md): a TorchScript file whose forward takes float32 [B,C,H,W] (or
// [B,D]) and returns logits [B,C], a tuple (logits, embedding [B,E]) or a dict with keys
// "logits" and "embedding". Normalisation comes from the model's attributes input_scale,
// input_mean and input_std when present (then the model applies it itself), else from config.
// Includes torch: only score/ and train/ use this header.
#include <torch/script.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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
  torch::Tensor logits;     // [B, C]
  torch::Tensor embedding;  // [B, E]; undefined when the model returns logits only
};

class LoadedModel {
 public:
  // Loads and probes the model with a zero batch of `input_shape` (without the batch
  // dimension): InputError (exit 2) when the file is not TorchScript, forward fails on that
  // shape, its output breaks the contract, or its class count differs from `classes`.
  static LoadedModel load(const std::filesystem::path& path,
                          const std::vector<std::int64_t>& input_shape, std::int64_t classes,
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

 private:
  LoadedModel(torch::jit::Module module, std::string name, bool normalises_itself,
              Normalisation fallback)
      : module_(std::move(module)),
        name_(std::move(name)),
        normalises_itself_(normalises_itself),
        fallback_(fallback) {}

  torch::jit::Module module_;                     // what deterministic passes run (maybe optimised)
  std::optional<torch::jit::Module> stochastic_;  // dropout on, for Monte-Carlo passes
  std::string name_;
  torch::Device device_ = torch::kCPU;
  bool normalises_itself_;
  Normalisation fallback_;
  std::int64_t embedding_size_ = 0;
};

// Interprets a forward result under the contract; InputError naming `model` otherwise.
ModelOutput parse_output(const c10::IValue& value, const std::string& model);

}  // namespace quarry::model

#include "model/loaded_model.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace quarry::model {

namespace {
const char* kContract =
    "forward must return logits [B,C], a tuple (logits, embedding [B,E]) or a dict with keys "
    "'logits' and 'embedding'";

std::string shape_text(c10::IntArrayRef sizes) {
  return fmt::format("[{}]", fmt::join(sizes.begin(), sizes.end(), ","));
}

std::string describe(const c10::IValue& value) {
  if (value.isTensor()) return "a tensor of shape " + shape_text(value.toTensor().sizes());
  return "a " + value.tagKind();
}

torch::Tensor expect_matrix(const c10::IValue& value, const std::string& model,
                            const std::string& what) {
  if (!value.isTensor() || value.toTensor().dim() != 2)
    throw InputError(model, what, "is " + describe(value) + "; " + kContract);
  return value.toTensor();
}
}  // namespace

ModelOutput parse_output(const c10::IValue& value, const std::string& model) {
  ModelOutput out;
  if (value.isTensor()) {
    out.logits = expect_matrix(value, model, "forward output");
  } else if (value.isTuple() && value.toTupleRef().elements().size() == 2) {
    const auto& elements = value.toTupleRef().elements();
    out.logits = expect_matrix(elements[0], model, "forward output [0] (logits)");
    out.embedding = expect_matrix(elements[1], model, "forward output [1] (embedding)");
  } else if (value.isGenericDict()) {
    auto dict = value.toGenericDict();
    if (!dict.contains("logits") || !dict.contains("embedding"))
      throw InputError(model, "forward output",
                       std::string("is a dict without 'logits' and "
                                   "'embedding'; ") +
                           kContract);
    out.logits = expect_matrix(dict.at("logits"), model, "forward output ['logits']");
    out.embedding = expect_matrix(dict.at("embedding"), model, "forward output ['embedding']");
  } else {
    throw InputError(model, "forward output", "is " + describe(value) + "; " + kContract);
  }
  if (out.embedding.defined() && out.embedding.size(0) != out.logits.size(0))
    throw InputError(model, "forward output",
                     fmt::format("has {} logit rows but {} embedding rows", out.logits.size(0),
                                 out.embedding.size(0)));
  return out;
}

LoadedModel LoadedModel::load(const std::filesystem::path& path,
                              const std::vector<std::int64_t>& input_shape, std::int64_t classes,
                              const Normalisation& fallback) {
  return load(path, ModelContract{input_shape, classes}, fallback);
}

LoadedModel LoadedModel::load(const std::filesystem::path& path, const ModelContract& contract,
                              const Normalisation& fallback) {
  const std::string name = path.string();
  if (!std::filesystem::is_regular_file(path)) throw InputError(name, "", "no such model file");
  torch::jit::Module module;
  try {
    module = torch::jit::load(name);
  } catch (const std::exception&) {
    throw InputError(name, "", "is not a TorchScript model (torch::jit::load failed)",
                     "save models with torch.jit.script(model).save(path) or quarry model init");
  }
  module.eval();
  const bool own =
      module.hasattr("input_scale") && module.hasattr("input_mean") && module.hasattr("input_std");
  LoadedModel model(std::move(module), name, own, fallback, contract);

  std::vector<std::int64_t> probe_shape{2};
  probe_shape.insert(probe_shape.end(), contract.input_shape.begin(), contract.input_shape.end());
  ModelOutput probe;
  try {
    c10::InferenceMode guard;
    probe = model.forward(torch::zeros(probe_shape));
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // TorchScript errors carry a traceback; the last line holds the actual complaint.
    std::string what = e.what();
    while (!what.empty() && what.back() == '\n') what.pop_back();
    throw InputError(name, "forward",
                     fmt::format("fails on an input of shape {}: {}", shape_text(probe_shape),
                                 what.substr(what.find_last_of('\n') + 1)),
                     "the model's input shape must match the pool's items");
  }
  if (probe.detections) {
    const auto& d = *probe.detections;
    model.layout_ = {d.slots(), d.probs.defined(), d.keypoints.defined(), d.heatmaps.defined()};
  } else if (probe.logits.size(1) != contract.classes) {
    throw InputError(
        name, "forward output",
        fmt::format("has {} classes, the pool has {}", probe.logits.size(1), contract.classes));
  }
  model.embedding_size_ = probe.embedding.defined() ? probe.embedding.size(1) : 0;
  return model;
}

ModelOutput LoadedModel::parse(const c10::IValue& value, std::int64_t batch) const {
  if (!contract_.detection) return parse_output(value, name_);
  if (!value.isGenericDict())
    throw InputError(name_, "forward output",
                     "is " + describe(value) +
                         "; a detection model returns a dict (boxes, scores, labels, ...: "
                         "docs/model.md)");
  const auto dict = value.toGenericDict();
  ModelOutput out;
  out.detections =
      parse_detection_output(dict, {batch, contract_.classes, contract_.keypoints}, name_);
  if (dict.contains("embedding")) {
    out.embedding = expect_matrix(dict.at("embedding"), name_, "forward output ['embedding']");
    if (out.embedding.size(0) != batch)
      throw InputError(
          name_, "forward output",
          fmt::format("embedding has {} rows for a batch of {}", out.embedding.size(0), batch));
  }
  return out;
}

ModelOutput LoadedModel::forward(const torch::Tensor& input) {
  const auto affine = input_affine();
  return forward_prepared(input * affine.scale + affine.shift);
}

ModelOutput LoadedModel::forward_prepared(const torch::Tensor& input) {
  return parse(module_.forward({input}), input.size(0));
}

InputAffine LoadedModel::input_affine() const {
  if (normalises_itself_) return {};
  return {static_cast<float>(fallback_.scale / fallback_.std),
          static_cast<float>(-fallback_.mean / fallback_.std)};
}

void LoadedModel::to(const torch::Device& device) {
  module_.to(device);
  if (stochastic_) stochastic_->to(device);
  device_ = device;
}

void LoadedModel::optimize_for_inference() {
  if (!stochastic_) stochastic_ = module_.clone();
  auto frozen = torch::jit::freeze(module_);
  module_ = torch::jit::optimize_for_inference(frozen);
}

namespace {
// What dropout must change between passes: a classifier's logits, a detector's heatmaps (its
// scores where it has none).
torch::Tensor varying_part(const ModelOutput& out) {
  if (!out.detections) return out.logits;
  return out.detections->heatmaps.defined() ? out.detections->heatmaps : out.detections->scores;
}

bool is_batch_norm(const torch::jit::Module& module) {
  const auto type = module.type()->name();
  return type && type->qualifiedName().find("BatchNorm") != std::string::npos;
}
}  // namespace

void LoadedModel::enable_monte_carlo(const std::vector<std::int64_t>& input_shape) {
  if (!stochastic_) stochastic_ = module_.clone();
  // train() flips every submodule's `training` flag (dropout on); batch norm goes back to eval
  // so its running statistics are used and never updated.
  stochastic_->train(true);
  for (auto sub : stochastic_->modules())
    if (is_batch_norm(sub)) sub.train(false);
  const auto probe = torch::rand(input_shape, torch::TensorOptions().device(device_)) * 255.0;
  const auto affine = input_affine();
  const auto input = probe * affine.scale + affine.shift;
  auto first = varying_part(parse(stochastic_->forward({input}), input.size(0)));
  auto second = varying_part(parse(stochastic_->forward({input}), input.size(0)));
  if (torch::equal(first, second))
    throw InputError(name_, "dropout",
                     "the model gives identical outputs with dropout enabled: it has no (active) "
                     "dropout, so Monte-Carlo acquisitions (bald, variation_ratio) cannot be "
                     "computed",
                     "drop --mc-samples, or use a model with dropout (quarry model init adds it)");
}

ModelOutput LoadedModel::forward_stochastic(const torch::Tensor& input) {
  if (!stochastic_) throw Error("forward_stochastic before enable_monte_carlo");
  return parse(stochastic_->forward({input}), input.size(0));
}

}  // namespace quarry::model

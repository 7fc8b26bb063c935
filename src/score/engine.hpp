#pragma once
// The scoring engine: batches of raw items in, one unit's columns out (predictions, fp16
// probabilities and embeddings, acquisition scores). It depends only on LibTorch and core/, so it
// builds on its own (QUARRY_ENGINE_ONLY, tools/gpu-check) on machines without MPI or HDF5.
//
// On pools with objects the model is a detector (model/detection_output.hpp): each row's
// detections above a confidence floor go to the unit in decreasing confidence, /pred is the
// most confident one's label (-1: none), /probs each class's presence, and the acquisition
// functions are the det_* ones (score/detection_acquisition.hpp).
//
// Every batch has the same shape (the last one is padded), so each item's result depends only
// on its position in the global batch grid: the same for any rank count.
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "files/scores/unit_result.hpp"
#include "model/device_input.hpp"
#include "model/loaded_model.hpp"
#include "score/detection_acquisition.hpp"

namespace quarry::score {

// The engine reads batches through model/device_input.hpp.
using model::BatchView;
using model::DeviceInput;

struct EngineSettings {
  std::vector<std::int64_t> item_shape;  // {C, H, W} or {D}
  std::int64_t batch = 256;
  std::vector<std::string> acquisitions;  // see known_acquisitions()
  int mc_samples = 0;
  std::uint64_t seed = 0;
  double min_confidence = 0.05;  // detectors: detections below it are neither stored nor scored
};

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
  // [T, count, ...]: what `sample` takes from each of T stochastic passes' output.
  using Sample = torch::Tensor (*)(const model::ModelOutput& output, std::int64_t count);
  torch::Tensor monte_carlo(const torch::Tensor& input, std::uint64_t first_row, std::int64_t count,
                            Sample sample);
  // Detectors (detection_scoring.cpp).
  void score_detections(const torch::Tensor& input, const BatchView& batch, UnitResult& unit);
  void check_detections(const model::DetectionOutput& out, const BatchView& batch,
                        std::int64_t classes);
  // The weights (confidence where kept, else 0) of `out`'s detections.
  torch::Tensor kept_weights(const model::DetectionOutput& out) const;
  torch::Tensor flip_instability(const torch::Tensor& input, const model::DetectionOutput& out,
                                 const torch::Tensor& weights, std::int64_t count);

  model::LoadedModel& model_;
  EngineSettings settings_;
  // The functions of settings_.acquisitions, looked up once.
  std::vector<torch::Tensor (*)(const torch::Tensor&, const torch::Tensor&)> acquire_;
  std::vector<DetectionFunction> acquire_detections_;
  bool flip_ = false;  // an acquisition needs the flipped images' detections
  std::unique_ptr<DeviceInput> input_;
  std::vector<std::uint64_t> nonfinite_;
  std::vector<std::uint64_t> bad_labels_;  // detectors: a kept detection's label outside 0..C-1
};

}  // namespace quarry::score

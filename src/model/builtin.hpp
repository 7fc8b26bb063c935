#pragma once
// Built-in architectures for `quarry model init`, built as TorchScript in C++ (no Python needed).
// This header is torch-free so the app does not pay for torch headers.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/atomic_output.hpp"

namespace quarry::model {

// The architecture of a fresh model unless one is named (model init, quarry init, simulate).
inline constexpr const char* kDefaultArch = "small-cnn";

struct ModelSpec {
  std::string arch;  // small-cnn (image pools) | mlp (feature pools) | centernet-small (objects)
  std::vector<std::int64_t> input_shape;  // {C, H, W} or {D}
  std::int64_t classes = 0;
  std::uint64_t seed = 0;
  // Input normalisation stored in the model: x_norm = (x * scale - mean) / std.
  double scale = 1.0 / 255.0, mean = 0.0, std = 1.0;
  std::int64_t embedding = 128;
  double dropout = 0.25;
  // Detectors (centernet-small): the pool's task ("detect" | "keypoints"), its keypoint count K
  // (0 for detect) and the fixed number of detection slots D that forward returns.
  std::string task = "classify";
  std::int64_t keypoints = 0;
  std::int64_t max_detections = 32;
};

// Builds the model (seeded) and publishes it atomically as a TorchScript file.
void write_builtin_model(const ModelSpec& spec, const std::filesystem::path& out,
                         Overwrite overwrite);

// A spec for the pool: arch checked against the pool kind, classes and shape from the pool,
// normalisation mean/std measured on up to `sample` items.
ModelSpec spec_for_pool(const std::filesystem::path& pool, const std::string& arch,
                        std::uint64_t seed, std::uint64_t sample = 10000);

}  // namespace quarry::model

#pragma once
// What the built-in TorchScript architectures share: parameters registered as plain tensors
// (seeded by the caller) and the input normalisation every built-in model applies itself.
// Internal to src/model (includes torch).
#include <torch/script.h>

#include <cstdint>
#include <string>

#include "model/builtin.hpp"

namespace quarry::model {

// Normalisation lives in the model (the contract): quarry feeds raw uint8 values as float.
inline constexpr const char* kNormaliseSource = R"(
def normalise(self, x):
    return (x * self.input_scale - self.input_mean) / self.input_std
)";

// `name`_weight [out, in] and `name`_bias [out], initialised as torch.nn.Linear does.
void add_linear(torch::jit::Module& m, const std::string& name, std::int64_t in, std::int64_t out);
// `name`_weight [out, in, k, k] and `name`_bias [out], initialised as torch.nn.Conv2d does.
void add_conv(torch::jit::Module& m, const std::string& name, std::int64_t in, std::int64_t out,
              std::int64_t kernel = 3);

// Attributes every built-in model carries: the train()/eval() flag dropout reads, the
// normalisation, the dropout rate, the class count and the architecture's name.
void add_common_attributes(torch::jit::Module& m, const ModelSpec& spec);

// The heatmap detector (centernet.cpp); `spec.arch` is "centernet-small".
torch::jit::Module build_centernet(const ModelSpec& spec);

}  // namespace quarry::model

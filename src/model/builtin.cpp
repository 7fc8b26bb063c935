#include "model/builtin.hpp"

#include <torch/script.h>
#include <torch/torch.h>

#include "core/error.hpp"
#include "model/script_parts.hpp"

namespace quarry::model {

namespace {

const char* kSmallCnn = R"(
def forward(self, x):
    h = self.normalise(x)
    h = torch.max_pool2d(torch.relu(torch.conv2d(h, self.conv1_weight, self.conv1_bias, 1, 1)), 2)
    h = torch.max_pool2d(torch.relu(torch.conv2d(h, self.conv2_weight, self.conv2_bias, 1, 1)), 2)
    h = torch.flatten(h, 1)
    embedding = torch.relu(torch.linear(h, self.fc1_weight, self.fc1_bias))
    logits = torch.linear(torch.dropout(embedding, self.dropout_p, self.training),
                          self.fc2_weight, self.fc2_bias)
    return (logits, embedding)
)";

const char* kMlp = R"(
def forward(self, x):
    h = torch.flatten(self.normalise(x), 1)
    h = torch.relu(torch.linear(h, self.fc1_weight, self.fc1_bias))
    embedding = torch.relu(torch.linear(torch.dropout(h, self.dropout_p, self.training),
                                        self.fc2_weight, self.fc2_bias))
    logits = torch.linear(torch.dropout(embedding, self.dropout_p, self.training),
                          self.fc3_weight, self.fc3_bias)
    return (logits, embedding)
)";

torch::jit::Module build(const ModelSpec& spec) {
  torch::manual_seed(spec.seed);
  if (spec.arch == "centernet-small") return build_centernet(spec);
  torch::jit::Module m("QuarryModel");
  const auto& in = spec.input_shape;
  if (spec.arch == "small-cnn") {
    if (in.size() != 3) throw UsageError("small-cnn needs image inputs CxHxW");
    const std::int64_t pooled = (in[1] / 4) * (in[2] / 4);
    if (pooled == 0) throw UsageError("small-cnn needs images of at least 4x4 pixels");
    add_conv(m, "conv1", in[0], 32);
    add_conv(m, "conv2", 32, 64);
    add_linear(m, "fc1", 64 * pooled, spec.embedding);
    add_linear(m, "fc2", spec.embedding, spec.classes);
  } else if (spec.arch == "mlp") {
    std::int64_t features = 1;
    for (auto d : in) features *= d;
    add_linear(m, "fc1", features, 256);
    add_linear(m, "fc2", 256, spec.embedding);
    add_linear(m, "fc3", spec.embedding, spec.classes);
  } else {
    throw UsageError("--arch '" + spec.arch + "' is not one of small-cnn, mlp, centernet-small");
  }
  add_common_attributes(m, spec);
  m.define(kNormaliseSource);
  m.define(spec.arch == "small-cnn" ? kSmallCnn : kMlp);
  m.eval();
  return m;
}

}  // namespace

void add_linear(torch::jit::Module& m, const std::string& name, std::int64_t in, std::int64_t out) {
  auto weight = torch::empty({out, in});
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  const double bound = 1.0 / std::sqrt(double(in));
  m.register_parameter(name + "_weight", weight, false);
  m.register_parameter(name + "_bias", torch::empty({out}).uniform_(-bound, bound), false);
}

void add_conv(torch::jit::Module& m, const std::string& name, std::int64_t in, std::int64_t out,
              std::int64_t kernel) {
  auto weight = torch::empty({out, in, kernel, kernel});
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  const double bound = 1.0 / std::sqrt(double(in * kernel * kernel));
  m.register_parameter(name + "_weight", weight, false);
  m.register_parameter(name + "_bias", torch::empty({out}).uniform_(-bound, bound), false);
}

void add_common_attributes(torch::jit::Module& m, const ModelSpec& spec) {
  // train()/eval() flip this flag, as on any scripted nn.Module; dropout reads it.
  m.register_attribute("training", c10::BoolType::get(), false);
  m.register_attribute("input_scale", c10::FloatType::get(), spec.scale);
  m.register_attribute("input_mean", c10::FloatType::get(), spec.mean);
  m.register_attribute("input_std", c10::FloatType::get(), spec.std);
  m.register_attribute("dropout_p", c10::FloatType::get(), spec.dropout);
  m.register_attribute("num_classes", c10::IntType::get(), spec.classes);
  m.register_attribute("quarry_arch", c10::StringType::get(), spec.arch);
}

void write_builtin_model(const ModelSpec& spec, const std::filesystem::path& out,
                         Overwrite overwrite) {
  AtomicOutput output(out, overwrite);
  torch::jit::Module module = build(spec);
  module.save(output.temp_path().string());
  output.commit();
}

}  // namespace quarry::model

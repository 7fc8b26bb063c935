#include "model/detection_output.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace quarry::model {

namespace {

const char* kContract =
    "a detection model's forward returns a dict with boxes [B,D,4], scores [B,D], labels int64 "
    "[B,D] and optionally probs [B,D,C], keypoints [B,D,K,3], heatmaps, embedding [B,E] "
    "(docs/model.md)";

std::string shape_text(c10::IntArrayRef sizes) {
  return fmt::format("[{}]", fmt::join(sizes.begin(), sizes.end(), ","));
}

// The expected shape as the message shows it: -1 is the slot count D.
std::string expected_text(const std::vector<std::int64_t>& dims) {
  std::vector<std::string> parts;
  for (auto d : dims) parts.push_back(d < 0 ? "D" : std::to_string(d));
  return fmt::format("[{}]", fmt::join(parts, ","));
}

class Checker {
 public:
  Checker(const c10::impl::GenericDict& dict, std::string model)
      : dict_(dict), model_(std::move(model)) {}

  // The entry `key` as a tensor of `dims` (-1: the slot count, fixed by boxes) and a floating
  // type, or int64 when `integer`; undefined when it is absent and optional.
  torch::Tensor take(const std::string& key, const std::vector<std::int64_t>& dims, bool required,
                     bool integer = false) {
    if (!dict_.contains(key)) {
      if (required) fail(fmt::format("is a dict without '{}'", key));
      return {};
    }
    const auto value = dict_.at(key);
    if (!value.isTensor()) fail(fmt::format("['{}'] is a {}", key, value.tagKind()));
    auto tensor = value.toTensor();
    bool matches = tensor.dim() == static_cast<std::int64_t>(dims.size());
    for (std::size_t i = 0; matches && i < dims.size(); ++i) {
      if (dims[i] == -1 && slots_ < 0) slots_ = tensor.size(static_cast<std::int64_t>(i));
      const auto want = dims[i] == -1 ? slots_ : dims[i];
      matches = tensor.size(static_cast<std::int64_t>(i)) == want;
    }
    if (!matches)
      fail(fmt::format("{} has shape {}, expected {}", key, shape_text(tensor.sizes()),
                       expected_text(dims)));
    if (integer ? tensor.scalar_type() != torch::kInt64 : !tensor.is_floating_point())
      fail(fmt::format("{} is {}, expected {}", key, c10::toString(tensor.scalar_type()),
                       integer ? "int64" : "a floating-point type"));
    return tensor;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(model_, "forward output", what + "; " + kContract);
  }

 private:
  const c10::impl::GenericDict& dict_;
  std::string model_;
  std::int64_t slots_ = -1;
};

}  // namespace

DetectionOutput DetectionOutput::narrow(std::int64_t count) const {
  auto rows = [count](const torch::Tensor& t) { return t.defined() ? t.narrow(0, 0, count) : t; };
  return {rows(boxes), rows(scores), rows(labels), rows(probs), rows(keypoints), rows(heatmaps)};
}

DetectionOutput parse_detection_output(const c10::impl::GenericDict& dict,
                                       const DetectionExpectation& expected,
                                       const std::string& model) {
  Checker check(dict, model);
  const auto b = expected.batch;
  DetectionOutput out;
  out.boxes = check.take("boxes", {b, -1, 4}, true);
  out.scores = check.take("scores", {b, -1}, true);
  out.labels = check.take("labels", {b, -1}, true, true);
  out.probs = check.take("probs", {b, -1, expected.classes}, false);
  // Keypoints are read for keypoint pools only (a detect pool has no keypoint names to match).
  if (expected.keypoints > 0)
    out.keypoints = check.take("keypoints", {b, -1, expected.keypoints, 3}, true);
  if (dict.contains("heatmaps")) {
    const auto value = dict.at("heatmaps");
    if (!value.isTensor() || value.toTensor().dim() < 2 || value.toTensor().size(0) != b ||
        !value.toTensor().is_floating_point())
      check.fail(fmt::format("heatmaps must be a floating-point tensor [{},...]", b));
    out.heatmaps = value.toTensor();
  }
  return out;
}

}  // namespace quarry::model

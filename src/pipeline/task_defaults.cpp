#include "pipeline/task_defaults.hpp"

#include <fmt/format.h>

namespace quarry::pipeline {

namespace {

// Why each value (docs/benchmarks.md, docs/rounds.md "Detection and keypoint workspaces"):
// - score.batch 128: the detector falls off a cache cliff at batch 256 (794 against 3180 images/s
//   for the model alone on 64x64 heads); 64 and 128 are its best.
// - train.batch 32, train.lr 2e-3: the settings issue 16's detect-quality benchmark tuned
//   centernet-small with; a round's few hundred images at batch 128 would be a handful of
//   steps per epoch.
// - train.images 8000, train.epochs 30: a detector needs far more steps than the classifier.
//   Round 1's model on 60 labeled synthetic 64x64 scenes reached AP@.5 0.06 after 3 epochs, 0.20
//   after 30, 0.39 after 60 and 0.71 after 120 (7200 images seen; docs/rounds.md). The first
//   model therefore sees at least 8000 images; continued models train 30 epochs a round.
// - acquisition: margin and the classifier's scores do not exist in a detector's scores file.
//   det_margin_sum: on Fashion-MNIST scenes (pool 2000, 100 + 4 x 100 images, 3 seeds,
//   docs/simulate.md) it reached random's final AP@.5 with 1.22x fewer images and 1.08x fewer
//   annotator seconds; det_margin_mean, which does not favour crowded images, picked images
//   with fewer objects and never reached it. Keypoint pools select by the keypoints' own
//   uncertainty, since OKS-AP is what they are trained for.
std::vector<std::pair<std::string, std::string>> detector_defaults(const char* acquisition) {
  return {{"arch", "centernet-small"}, {"acquisition", acquisition}, {"score.batch", "128"},
          {"train.batch", "32"},       {"train.lr", "0.002"},        {"train.epochs", "30"},
          {"train.images", "8000"}};
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& task_defaults(pool::Task task) {
  static const std::vector<std::pair<std::string, std::string>> none;
  static const auto detect = detector_defaults("det_margin_sum");
  static const auto keypoints = detector_defaults("det_keypoint_mean");
  switch (task) {
    case pool::Task::classify:
      return none;
    case pool::Task::detect:
      return detect;
    case pool::Task::keypoints:
      return keypoints;
  }
  return none;
}

void apply_task_defaults(WorkspaceConfig& config, pool::Task task) {
  const std::string where = fmt::format("for {} pools", pool::task_name(task));
  config.set("task", pool::task_name(task), "default", where);
  for (const auto& [key, value] : task_defaults(task)) config.set(key, value, "default", where);
}

WorkspaceConfig default_config(pool::Task task) {
  WorkspaceConfig config;
  apply_task_defaults(config, task);
  return config;
}

}  // namespace quarry::pipeline

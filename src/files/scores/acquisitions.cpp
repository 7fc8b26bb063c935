#include "files/scores/acquisitions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace quarry::score {

namespace {

using enum AcquisitionTask;

const AcquisitionInfo kAcquisitions[] = {
    {"margin", Acquisition::margin, false},
    {"entropy", Acquisition::entropy, false},
    {"least_confidence", Acquisition::least_confidence, false},
    {"bald", Acquisition::bald, true},
    {"variation_ratio", Acquisition::variation_ratio, true},
    {"det_margin_max", Acquisition::det_margin_max, false, objects},
    {"det_margin_mean", Acquisition::det_margin_mean, false, objects},
    {"det_margin_sum", Acquisition::det_margin_sum, false, objects},
    {"det_entropy_max", Acquisition::det_entropy_max, false, objects},
    {"det_entropy_mean", Acquisition::det_entropy_mean, false, objects},
    {"det_entropy_sum", Acquisition::det_entropy_sum, false, objects},
    {"det_keypoint_max", Acquisition::det_keypoint_max, false, keypoints},
    {"det_keypoint_mean", Acquisition::det_keypoint_mean, false, keypoints},
    {"det_keypoint_sum", Acquisition::det_keypoint_sum, false, keypoints},
    {"det_heatmap_entropy", Acquisition::det_heatmap_entropy, false, objects},
    {"det_heatmap_bald", Acquisition::det_heatmap_bald, true, objects},
    {"det_localization", Acquisition::det_localization, false, objects, true},
};

bool applies(const AcquisitionInfo& entry, const std::string& task) {
  if (task == "classify") return entry.task == classify;
  if (task == "detect") return entry.task == objects;
  return entry.task == objects || entry.task == keypoints;
}

}  // namespace

const AcquisitionInfo& acquisition_named(const std::string& name) {
  for (const auto& entry : kAcquisitions)
    if (name == entry.name) return entry;
  throw UsageError(fmt::format("'{}' is not an acquisition function; choose one of {}", name,
                               fmt::join(known_acquisitions(), ", ")));
}

const std::vector<std::string>& known_acquisitions() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const auto& entry : kAcquisitions) all.emplace_back(entry.name);
    return all;
  }();
  return names;
}

bool needs_samples(const std::string& acquisition) {
  return acquisition_named(acquisition).needs_samples;
}

std::vector<std::string> default_acquisitions(const std::string& task, bool monte_carlo) {
  std::vector<std::string> names;
  for (const auto& entry : kAcquisitions)
    if (applies(entry, task) && !entry.needs_flip && (monte_carlo || !entry.needs_samples))
      names.emplace_back(entry.name);
  return names;
}

void check_acquisition_applies(const std::string& name, const std::string& task) {
  const auto& entry = acquisition_named(name);
  if (applies(entry, task)) return;
  std::vector<std::string> fitting;
  for (const auto& other : kAcquisitions)
    if (applies(other, task)) fitting.emplace_back(other.name);
  throw UsageError(fmt::format("{} does not apply to a pool whose task is {}; choose one of {}",
                               name, task, fmt::join(fitting, ", ")));
}

}  // namespace quarry::score

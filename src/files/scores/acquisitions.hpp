#pragma once
// The acquisition functions a scores file can hold, by the name they have on the command line,
// in quarry.ini and as /scores/<name> in the scores file. Torch-free, so settings checks and
// select read the table without LibTorch; score/engine.cpp maps each to its function.
//
// Classification pools use the first five; pools with objects (task detect or keypoints) the
// det_* ones (docs/score.md "Detection scores"), which reduce an image's detections to one score.
#include <string>
#include <vector>

namespace quarry::score {

enum class Acquisition {
  margin,
  entropy,
  least_confidence,
  bald,
  variation_ratio,
  det_margin_max,
  det_margin_mean,
  det_margin_sum,
  det_entropy_max,
  det_entropy_mean,
  det_entropy_sum,
  det_keypoint_max,
  det_keypoint_mean,
  det_keypoint_sum,
  det_heatmap_entropy,
  det_heatmap_bald,
  det_localization,
};

// Which pools an acquisition function applies to.
enum class AcquisitionTask { classify, objects, keypoints };

struct AcquisitionInfo {
  const char* name;
  Acquisition id;
  bool needs_samples;  // computed from Monte-Carlo dropout samples (score --mc-samples)
  AcquisitionTask task = AcquisitionTask::classify;  // keypoints: keypoint pools only
  bool needs_flip = false;  // a second forward pass on the horizontally flipped images
};

// UsageError listing the known names when `name` is none of them.
const AcquisitionInfo& acquisition_named(const std::string& name);

// Every name, in table order.
const std::vector<std::string>& known_acquisitions();
bool needs_samples(const std::string& acquisition);

// What `quarry score` computes on a pool of `task` ("classify" | "detect" | "keypoints")
// when --acquisitions is not given: margin, entropy,
// least_confidence on classification pools; the det_margin_*, det_entropy_* and
// det_heatmap_entropy scores on pools with objects (det_keypoint_* too on keypoint pools); the
// Monte-Carlo ones as well with `monte_carlo`. det_localization doubles the forward passes and
// is computed only when asked for.
std::vector<std::string> default_acquisitions(const std::string& task, bool monte_carlo);
// UsageError when `name` does not apply to a pool of `task`.
void check_acquisition_applies(const std::string& name, const std::string& task);

}  // namespace quarry::score

#pragma once
// The detection model contract (DESIGN.md "Detection model"; docs/model.md): forward returns a
// dict with boxes [B,D,4] (x0,y0,x1,y1 in input pixels), scores [B,D] (0 for empty slots),
// labels int64 [B,D], optional probs [B,D,C], keypoints [B,D,K,3] (x, y, confidence; required
// for keypoint pools), heatmaps (any dense maps [B,...] to score for uncertainty) and embedding
// [B,E]. D, the number of slots, is the model's choice and fixed. Includes torch.
#include <torch/script.h>

#include <cstdint>
#include <string>

namespace quarry::model {

struct DetectionOutput {
  torch::Tensor boxes, scores, labels;       // always defined
  torch::Tensor probs, keypoints, heatmaps;  // undefined where the model returns none

  std::int64_t slots() const { return boxes.size(1); }
  // Rows [0, count) of every defined tensor (the padded last batch's real items).
  DetectionOutput narrow(std::int64_t count) const;
};

// What a pool asks of a detection model's output.
struct DetectionExpectation {
  std::int64_t batch = 0;      // B, the input's rows
  std::int64_t classes = 0;    // C
  std::int64_t keypoints = 0;  // K; 0 for detect pools
};

// Checks `dict` (forward's output) against the contract; InputError naming `model` and the
// offending entry ("boxes has shape [8,10,3], expected [8,D,4]") otherwise. `embedding` is left
// to the caller.
DetectionOutput parse_detection_output(const c10::impl::GenericDict& dict,
                                       const DetectionExpectation& expected,
                                       const std::string& model);

}  // namespace quarry::model

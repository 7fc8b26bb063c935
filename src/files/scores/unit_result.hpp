#pragma once
// What scoring produces for one work unit (a run of consecutive pool rows), column by column as
// the scores file stores it, and for pools with objects the unit's detections (CSR over its
// rows, as /detections stores them). Torch-free.
#include <cstdint>
#include <vector>

#include "core/float16.hpp"

namespace quarry::score {

// Detections of a unit's rows: row i owns detections offsets[i]..offsets[i+1] (offsets[0] == 0),
// in decreasing confidence.
struct UnitDetections {
  bool present = false;         // scored on a pool with objects
  std::uint64_t keypoints = 0;  // K per detection (keypoint pools)
  bool has_probs = false;       // the model returns probs: `classes` per detection
  std::vector<std::uint64_t> offsets{0};
  std::vector<float> boxes;  // 4 per detection: x0, y0, x1, y1
  std::vector<std::int32_t> labels;
  std::vector<Float16> confidence;
  std::vector<Float16> probs;        // classes per detection, where has_probs
  std::vector<float> keypoints_xyc;  // K*3 per detection: x, y, confidence

  std::uint64_t total() const { return labels.size(); }
  void reset(bool on, std::uint64_t keypoint_count, bool probs_too) {
    present = on;
    keypoints = keypoint_count;
    has_probs = probs_too;
    offsets.assign(1, 0);
    boxes.clear(), labels.clear(), confidence.clear(), probs.clear(), keypoints_xyc.clear();
  }
};

struct UnitResult {
  std::uint64_t unit = 0;
  std::uint64_t first_row = 0;
  std::uint64_t count = 0;
  std::uint64_t classes = 0;
  std::uint64_t embedding_dim = 0;
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> pred;
  std::vector<Float16> probs;              // count x classes
  std::vector<Float16> embeddings;         // count x embedding_dim
  std::vector<std::vector<float>> scores;  // one column per acquisition, count each
  UnitDetections detections;

  void reset(std::uint64_t unit_index, std::uint64_t first, std::uint64_t rows,
             std::uint64_t class_count, std::uint64_t embedding_size, std::size_t acquisitions) {
    unit = unit_index;
    first_row = first;
    count = rows;
    classes = class_count;
    embedding_dim = embedding_size;
    ids.assign(count, 0);
    pred.assign(count, 0);
    probs.assign(count * classes, Float16{});
    embeddings.assign(count * embedding_dim, Float16{});
    scores.assign(acquisitions, std::vector<float>(count, 0.0f));
  }
};

}  // namespace quarry::score

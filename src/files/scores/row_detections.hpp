#pragma once
// The detections of some rows of a scores file of a pool with objects (scores_file.hpp's
// /detections), read with the rows sorted: offsets first, then only the per-detection rows the
// items own. Export reads its batch's pre-labels this way and the round report its thumbnails'.
#include <cstdint>
#include <vector>

namespace quarry::score {

class ScoresFile;

struct RowDetections {
  std::vector<std::uint64_t> rows;   // sorted, unique pool rows
  std::vector<std::uint64_t> first;  // per row: its first detection in the arrays below
  std::vector<std::uint64_t> count;  // per row: its detections (in decreasing confidence)
  std::vector<float> boxes;          // 4 per detection: x0, y0, x1, y1 (stored pixels)
  std::vector<float> keypoints;      // K*3 per detection (x, y, confidence); empty without
  std::vector<float> confidence;
  std::vector<std::int32_t> labels;

  // Index into `rows`/`first`/`count` of a pool row that was read.
  std::size_t at(std::uint64_t row) const;
};

// `rows` in any order, repeats allowed. InputError naming the file when offsets decrease.
RowDetections read_row_detections(const ScoresFile& scores, std::vector<std::uint64_t> rows);

// Two detections whose boxes overlap at least this much are one object to an annotator.
inline constexpr double kPrelabelDuplicateIou = 0.7;

// The detections of `d.rows[at]` that annotators are shown as pre-labels (export writes them, the
// round report draws them): confidence >= `threshold`, and one box per object: a detection whose
// box overlaps a more confident pre-label of the item by IoU >= kPrelabelDuplicateIou is left
// out, whatever its class. The detector's centre heatmaps are per class, so a model unsure of an
// object's class puts one identical box per class it hesitates between on it; annotators would
// delete all but one (9 s each) where they now correct one class. Indexes into the detection
// arrays, ascending (the detector writes an item's detections by decreasing confidence; the
// suppression goes by confidence whatever the order).
std::vector<std::uint64_t> prelabel_detections(const RowDetections& d, std::size_t at,
                                               double threshold);

}  // namespace quarry::score

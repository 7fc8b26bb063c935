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

}  // namespace quarry::score

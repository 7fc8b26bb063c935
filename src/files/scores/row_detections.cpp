#include "files/scores/row_detections.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/float16.hpp"
#include "detect/box.hpp"
#include "files/pool/row_runs.hpp"
#include "files/scores/scores_file.hpp"

namespace quarry::score {

std::size_t RowDetections::at(std::uint64_t row) const {
  return static_cast<std::size_t>(std::lower_bound(rows.begin(), rows.end(), row) - rows.begin());
}

RowDetections read_row_detections(const ScoresFile& scores, std::vector<std::uint64_t> rows) {
  RowDetections d;
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  d.rows = rows;
  const h5::File& file = scores.file();
  // Row r owns offsets[r]..offsets[r+1]: read both ends of every row.
  std::vector<std::uint64_t> ends;
  for (const std::uint64_t row : rows) ends.insert(ends.end(), {row, row + 1});
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  const auto offsets =
      pool::read_sorted_rows<std::uint64_t>(file.open_dataset(kDetectionOffsets), ends);
  auto offset_of = [&](std::uint64_t row) {
    return offsets[std::lower_bound(ends.begin(), ends.end(), row) - ends.begin()];
  };
  std::vector<std::uint64_t> wanted;  // detection rows, ascending since item rows are
  for (const std::uint64_t row : rows) {
    const std::uint64_t begin = offset_of(row), end = offset_of(row + 1);
    if (end < begin)
      throw InputError(scores.path().string(), kDetectionOffsets,
                       fmt::format("row {}: offsets decrease ({} then {})", row, begin, end));
    d.first.push_back(wanted.size());
    d.count.push_back(end - begin);
    for (std::uint64_t i = begin; i < end; ++i) wanted.push_back(i);
  }
  if (wanted.empty()) return d;
  d.boxes = pool::read_sorted_rows<float>(file.open_dataset(kDetectionBoxes), wanted);
  d.labels = pool::read_sorted_rows<std::int32_t>(file.open_dataset(kDetectionLabels), wanted);
  const auto half =
      pool::read_sorted_rows<Float16>(file.open_dataset(kDetectionConfidence), wanted);
  for (const Float16 value : half) d.confidence.push_back(to_float32(value));
  if (scores.meta().keypoints > 0)
    d.keypoints = pool::read_sorted_rows<float>(file.open_dataset(kDetectionKeypoints), wanted);
  return d;
}

std::vector<std::uint64_t> prelabel_detections(const RowDetections& d, std::size_t at,
                                               double threshold) {
  std::vector<std::uint64_t> candidates;
  for (std::uint64_t i = d.first[at]; i < d.first[at] + d.count[at]; ++i)
    if (d.confidence[i] >= threshold) candidates.push_back(i);
  std::stable_sort(candidates.begin(), candidates.end(), [&](std::uint64_t a, std::uint64_t b) {
    return d.confidence[a] > d.confidence[b];
  });
  const auto box = [&](std::uint64_t i) {
    const float* c = &d.boxes[4 * i];
    return detect::from_corners(c[0], c[1], c[2], c[3]);
  };
  std::vector<std::uint64_t> kept;
  for (const std::uint64_t i : candidates) {
    const bool duplicate = std::any_of(kept.begin(), kept.end(), [&](std::uint64_t j) {
      return detect::iou(box(i), box(j)) >= kPrelabelDuplicateIou;
    });
    if (!duplicate) kept.push_back(i);
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

}  // namespace quarry::score

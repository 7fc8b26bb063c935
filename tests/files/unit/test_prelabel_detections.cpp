// Which detections annotators see as pre-labels (files/scores/row_detections.hpp): those at or
// above the threshold, one box per object whatever the class (a box overlapping a more confident
// pre-label by IoU >= 0.7 is left out), in file order; another item's detections are not
// considered.
#include <gtest/gtest.h>

#include "files/scores/row_detections.hpp"

namespace quarry::score {
namespace {

void add(RowDetections& d, float confidence, std::int32_t label, std::array<float, 4> box) {
  d.confidence.push_back(confidence);
  d.labels.push_back(label);
  d.boxes.insert(d.boxes.end(), box.begin(), box.end());
}

TEST(PrelabelDetections, OneBoxPerObjectAboveTheThreshold) {
  RowDetections d;
  d.rows = {4, 9};
  d.first = {0, 6};
  d.count = {6, 1};
  add(d, 0.9f, 0, {0, 0, 10, 10});    // 0: kept
  add(d, 0.8f, 1, {0, 0, 10, 10});    // 1: the same box as another class: left out
  add(d, 0.2f, 2, {40, 40, 50, 50});  // 2: below the threshold
  add(d, 0.6f, 0, {0, 0, 10, 12});    // 3: IoU 100/120 = 0.83 with 0: left out
  add(d, 0.55f, 2, {0, 0, 10, 16});   // 4: IoU 100/160 = 0.625 with 0: another object, kept
  add(d, 0.7f, 1, {20, 20, 30, 30});  // 5: elsewhere, kept
  add(d, 0.95f, 0, {0, 0, 10, 10});   // 6: item 9's, the same box as 0: no bearing on item 4
  EXPECT_EQ(prelabel_detections(d, d.at(4), 0.3), (std::vector<std::uint64_t>{0, 4, 5}));
  EXPECT_EQ(prelabel_detections(d, d.at(9), 0.3), (std::vector<std::uint64_t>{6}));
  EXPECT_EQ(prelabel_detections(d, d.at(4), 0.85), (std::vector<std::uint64_t>{0}));
}

}  // namespace
}  // namespace quarry::score

#include <gtest/gtest.h>

#include "detect/box.hpp"

namespace quarry::detect {
namespace {

TEST(Box, FromCornersKeepsCornerAndSize) {
  const Box box = from_corners(2, 3, 12, 8);
  EXPECT_EQ(box.x, 2);
  EXPECT_EQ(box.y, 3);
  EXPECT_EQ(box.w, 10);
  EXPECT_EQ(box.h, 5);
  EXPECT_EQ(box.area(), 50);
}

TEST(Box, IouOfOverlappingBoxes) {
  // 10x10 boxes shifted by 5 in x: intersection 50, union 150.
  EXPECT_DOUBLE_EQ(iou({0, 0, 10, 10}, {5, 0, 10, 10}), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(iou({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0);
}

TEST(Box, DisjointAndTouchingBoxesHaveNoOverlap) {
  EXPECT_EQ(iou({0, 0, 10, 10}, {10, 0, 10, 10}), 0.0);
  EXPECT_EQ(iou({0, 0, 10, 10}, {0, 20, 10, 10}), 0.0);
}

TEST(Box, CrowdTruthDividesByTheDetectionArea) {
  // A small detection inside a large crowd region: the whole detection overlaps it.
  EXPECT_DOUBLE_EQ(iou({10, 10, 5, 5}, {0, 0, 100, 100}, true), 1.0);
  EXPECT_DOUBLE_EQ(iou({10, 10, 5, 5}, {0, 0, 100, 100}, false), 25.0 / 10000.0);
}

}  // namespace
}  // namespace quarry::detect

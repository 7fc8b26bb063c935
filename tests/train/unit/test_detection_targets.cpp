#include <gtest/gtest.h>

#include <cmath>

#include "train/detection_targets.hpp"

namespace quarry::train {
namespace {

// 2 classes, 2 keypoints, a 32 x 32 input: 8 x 8 cells at stride 4.
TargetShape small_shape(int keypoints = 0) {
  return {2, keypoints, 32, 32, 4};
}

float at(const std::vector<float>& maps, std::size_t map, int y, int x) {
  return maps[map * 64 + std::size_t(y) * 8 + std::size_t(x)];
}

TEST(DetectionTargets, GaussianRadiusIsCenterNets) {
  // Printed by CenterNet's own gaussian_radius (src/lib/utils/image.py) for these sizes.
  EXPECT_NEAR(gaussian_radius(10, 10), 2.7332005306815113, 1e-12);
  EXPECT_NEAR(gaussian_radius(5, 12.5), 1.982445327490284, 1e-12);
  EXPECT_NEAR(gaussian_radius(2, 3), 0.6581245772583584, 1e-12);
  EXPECT_NEAR(gaussian_radius(24, 6), 2.7056955181660953, 1e-12);
}

TEST(DetectionTargets, OneObjectGivesAPeakSizeAndOffsetAtItsCentreCell) {
  DetectionTargets t(small_shape(), 2);
  ItemObjects objects;
  // Centre (15, 9.5) pixels = (3.75, 2.375) cells; 30 x 15 pixels = 7.5 x 3.75 cells.
  objects.boxes = {0, 2, 30, 17};
  objects.labels = {1};
  objects.weights = {0.5f};
  add_item_targets(t, 1, objects);
  const std::size_t map = 1 * 2 + 1;  // item 1, class 1
  EXPECT_EQ(at(t.center, map, 2, 3), 1.0f);
  ASSERT_EQ(static_cast<int>(gaussian_radius(3.75, 7.5)), 1);
  const double sigma = 3.0 / 6.0;
  EXPECT_NEAR(at(t.center, map, 2, 4), std::exp(-1 / (2 * sigma * sigma)), 1e-6);
  EXPECT_NEAR(at(t.center, map, 3, 4), std::exp(-2 / (2 * sigma * sigma)), 1e-6);
  EXPECT_EQ(at(t.center, map, 2, 5), 0.0f);      // outside the radius
  EXPECT_EQ(at(t.center, map - 1, 2, 3), 0.0f);  // the other class's map stays empty
  EXPECT_EQ(at(t.center_weight, map, 2, 3), 0.5f);
  EXPECT_EQ(at(t.center_weight, map, 2, 4), 1.0f);
  ASSERT_EQ(t.box_cell.size(), 1u);
  EXPECT_EQ(t.box_cell[0], 1 * 64 + 2 * 8 + 3);
  EXPECT_EQ(t.box_size, (std::vector<float>{30, 15}));
  EXPECT_NEAR(t.box_offset[0], 0.75, 1e-6);
  EXPECT_NEAR(t.box_offset[1], 0.375, 1e-6);
  EXPECT_EQ(t.box_weight, std::vector<float>{0.5f});
  for (float v : std::vector<float>(t.center.begin(), t.center.begin() + 128)) EXPECT_EQ(v, 0.0f);
}

TEST(DetectionTargets, OverlappingGaussiansAreMaxMergedNotSummed) {
  DetectionTargets t(small_shape(), 1);
  ItemObjects objects;
  objects.boxes = {0, 0, 24, 24, 8, 0, 32, 24};  // centres 2 cells apart, 6 x 6 cells each
  objects.labels = {0, 0};
  add_item_targets(t, 0, objects);
  EXPECT_EQ(at(t.center, 0, 3, 3), 1.0f);
  EXPECT_EQ(at(t.center, 0, 3, 5), 1.0f);
  const int radius = static_cast<int>(gaussian_radius(6, 6));
  ASSERT_GE(radius, 1);
  const double sigma = (2 * radius + 1) / 6.0;
  // Both Gaussians reach the cell between the centres with the same value: the max keeps it.
  EXPECT_NEAR(at(t.center, 0, 3, 4), std::exp(-1 / (2 * sigma * sigma)), 1e-6);
  EXPECT_EQ(t.box_cell.size(), 2u);
}

TEST(DetectionTargets, CrowdRegionsAreIgnoredExceptWhereAnObjectsGaussianReaches) {
  DetectionTargets t(small_shape(), 1);
  ItemObjects objects;
  // A crowd box over cells 0..3 and an object of 5 x 5 cells centred on cell (4, 4): radius 1.
  objects.boxes = {0, 0, 16, 16, 6, 6, 26, 26};
  objects.labels = {0, 0};
  objects.crowd = {1, 0};
  add_item_targets(t, 0, objects);
  EXPECT_EQ(t.box_cell.size(), 1u);               // the crowd trains no positive
  EXPECT_EQ(at(t.center_weight, 0, 0, 0), 0.0f);  // inside the crowd box
  EXPECT_EQ(at(t.center_weight, 0, 3, 2), 0.0f);
  ASSERT_EQ(static_cast<int>(gaussian_radius(5, 5)), 1);
  EXPECT_EQ(at(t.center, 0, 4, 4), 1.0f);
  EXPECT_EQ(at(t.center_weight, 0, 3, 3), 1.0f);  // its Gaussian keeps the crowd's cell
  EXPECT_EQ(at(t.center_weight, 0, 5, 5), 1.0f);  // outside the crowd box
  EXPECT_EQ(at(t.center_weight, 1, 0, 0), 1.0f);  // other classes are negatives there
}

TEST(DetectionTargets, VisibleKeypointsGetGaussiansAndOffsets) {
  DetectionTargets t(small_shape(2), 2);
  ItemObjects objects;
  objects.boxes = {4, 4, 28, 28};
  objects.labels = {0};
  objects.keypoints = {10, 13, 2, 20, 20, 0};  // keypoint 1 invisible
  add_item_targets(t, 1, objects);
  const std::size_t map = 1 * 2 + 0;  // item 1, keypoint 0
  EXPECT_EQ(at(t.keypoint_heat, map, 3, 2), 1.0f);
  for (float v : std::vector<float>(t.keypoint_heat.begin() + 3 * 64, t.keypoint_heat.end()))
    EXPECT_EQ(v, 0.0f);
  ASSERT_EQ(t.keypoint_cell.size(), 1u);
  EXPECT_EQ(t.keypoint_cell[0], 2 * 64 + 3 * 8 + 2);
  EXPECT_NEAR(t.keypoint_offset[0], 0.5, 1e-6);
  EXPECT_NEAR(t.keypoint_offset[1], 0.25, 1e-6);
}

TEST(DetectionTargets, EmptyBoxesTrainNothing) {
  DetectionTargets t(small_shape(), 1);
  ItemObjects objects;
  objects.boxes = {5, 5, 5, 9};
  objects.labels = {1};
  add_item_targets(t, 0, objects);
  EXPECT_TRUE(t.box_cell.empty());
  for (float v : t.center) EXPECT_EQ(v, 0.0f);
}

}  // namespace
}  // namespace quarry::train

#include <gtest/gtest.h>

#include <cmath>

#include "train/detection_augment.hpp"

namespace quarry::train {
namespace {

constexpr int kSide = 48;

// A dark image with one bright rectangle, and that rectangle as its only object.
struct Scene {
  std::vector<std::uint8_t> image = std::vector<std::uint8_t>(kSide * kSide, 0);
  ItemObjects objects;

  Scene(int x0, int y0, int x1, int y1) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) image[y * kSide + x] = 200;
    objects.boxes = {float(x0), float(y0), float(x1), float(y1)};
    objects.labels = {3};
  }
};

TEST(DetectionAugment, OffIsTheIdentity) {
  const Scene scene(10, 12, 30, 20);
  const auto t = draw_transform({}, 7, 2, 55, kSide, kSide);
  EXPECT_EQ(t.scale, 1.0);
  EXPECT_FALSE(t.flip);
  std::vector<float> out(kSide * kSide);
  transform_image(scene.image.data(), 1, kSide, kSide, t, 0.5f, 1.0f, out.data());
  for (int i = 0; i < kSide * kSide; ++i) EXPECT_FLOAT_EQ(out[i], scene.image[i] * 0.5f + 1.0f);
  const auto moved = transform_objects(scene.objects, t, kSide, kSide, 0, {});
  EXPECT_EQ(moved.boxes, scene.objects.boxes);
  EXPECT_EQ(moved.labels, scene.objects.labels);
}

TEST(DetectionAugment, FlipMirrorsBoxesAndSwapsPairedKeypoints) {
  ItemObjects objects;
  objects.boxes = {10, 4, 20, 14};
  objects.labels = {0};
  objects.keypoints = {11, 5, 2, 19, 6, 1, 15, 9, 2};  // left eye, right eye, nose
  const ItemTransform flip{1, 0, 0, true};
  const auto moved = transform_objects(objects, flip, kSide, kSide, 3, {{0, 1}});
  EXPECT_EQ(moved.boxes, (std::vector<float>{28, 4, 38, 14}));
  // The left eye is the one now on the left: the former right eye, mirrored.
  EXPECT_EQ(moved.keypoints, (std::vector<float>{29, 6, 1, 37, 5, 2, 33, 9, 2}));
}

TEST(DetectionAugment, BoxesAreClippedAndDroppedWhenTheyLeaveTheImage) {
  ItemObjects objects;
  objects.boxes = {2, 2, 12, 12, 30, 30, 40, 40};
  objects.labels = {0, 1};
  objects.keypoints = {3, 3, 2, 31, 31, 2};
  const ItemTransform shift{1, -11, 0, false};  // 11 pixels to the left
  const auto moved = transform_objects(objects, shift, kSide, kSide, 1, {});
  ASSERT_EQ(moved.size(), 1u);  // the first keeps 1 pixel of width: dropped
  EXPECT_EQ(moved.boxes, (std::vector<float>{19, 30, 29, 40}));
  EXPECT_EQ(moved.labels, std::vector<std::int32_t>{1});
  const ItemTransform less{1, -9, 0, false};  // 3 pixels left: clipped, kept
  const auto clipped = transform_objects(objects, less, kSide, kSide, 1, {});
  ASSERT_EQ(clipped.size(), 2u);
  EXPECT_EQ(clipped.boxes[0], 0.0f);
  EXPECT_EQ(clipped.boxes[2], 3.0f);
  // Its keypoint left the image: invisible, as COCO writes unlabeled keypoints.
  EXPECT_EQ(std::vector<float>(clipped.keypoints.begin(), clipped.keypoints.begin() + 3),
            (std::vector<float>{0, 0, 0}));
}

TEST(DetectionAugment, PixelsMoveWithTheirBoxes) {
  const Scene scene(14, 10, 34, 26);
  DetectionAugment augment;
  augment.enabled = true;
  int flipped = 0, scaled = 0;
  for (std::uint64_t id = 0; id < 40; ++id) {
    const auto t = draw_transform(augment, 3, 1, id, kSide, kSide);
    flipped += t.flip;
    scaled += std::abs(t.scale - 1) > 0.05;
    EXPECT_GE(t.scale, 0.75);
    EXPECT_LE(t.scale, 1.25);
    std::vector<float> out(kSide * kSide);
    transform_image(scene.image.data(), 1, kSide, kSide, t, 1.0f, 0.0f, out.data());
    const auto moved = transform_objects(scene.objects, t, kSide, kSide, 0, {});
    ASSERT_EQ(moved.size(), 1u);  // shifts of at most 1/8 keep this central box inside
    // The bright mass's centroid is the moved box's centre.
    double mass = 0, mx = 0, my = 0;
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) {
        mass += out[y * kSide + x];
        mx += out[y * kSide + x] * (x + 0.5);
        my += out[y * kSide + x] * (y + 0.5);
      }
    EXPECT_NEAR(mx / mass, (moved.boxes[0] + moved.boxes[2]) / 2, 0.3) << "item " << id;
    EXPECT_NEAR(my / mass, (moved.boxes[1] + moved.boxes[3]) / 2, 0.3) << "item " << id;
    // The pixel count scales with the box area.
    EXPECT_NEAR(mass / 200, (moved.boxes[2] - moved.boxes[0]) * (moved.boxes[3] - moved.boxes[1]),
                0.5 + 0.02 * mass / 200)
        << "item " << id;
  }
  EXPECT_GT(flipped, 10);
  EXPECT_LT(flipped, 30);
  EXPECT_GT(scaled, 20);
}

TEST(DetectionAugment, TransformsAreKeyedBySeedEpochAndItem) {
  DetectionAugment augment;
  augment.enabled = true;
  const auto a = draw_transform(augment, 3, 1, 99, kSide, kSide);
  const auto again = draw_transform(augment, 3, 1, 99, kSide, kSide);
  EXPECT_EQ(a.scale, again.scale);
  EXPECT_EQ(a.dx, again.dx);
  EXPECT_NE(a.scale, draw_transform(augment, 3, 2, 99, kSide, kSide).scale);
  EXPECT_NE(a.scale, draw_transform(augment, 4, 1, 99, kSide, kSide).scale);
  EXPECT_NE(a.scale, draw_transform(augment, 3, 1, 98, kSide, kSide).scale);
}

}  // namespace
}  // namespace quarry::train

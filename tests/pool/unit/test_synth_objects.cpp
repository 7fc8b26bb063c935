// Synthetic pools with objects: heads whose keypoints lie in their boxes and whose far ear and
// eye disappear as they turn; items that depend only on (seed, id); shapes for detection.
#include <gtest/gtest.h>

#include <cmath>

#include "files/pool/objects.hpp"
#include "pool/synth.hpp"
#include "pool/synth_heads.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

class SynthObjectsTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
};

// Visibility of the five keypoints (left_eye, right_eye, nose, left_ear, right_ear).
std::array<float, 5> visibility(float yaw) {
  const HeadTruth truth = head_truth({48, 48, 15, 18, yaw});
  std::array<float, 5> v{};
  for (int k = 0; k < 5; ++k) v[k] = truth.keypoints[3 * k + 2];
  return v;
}

TEST_F(SynthObjectsTest, TurningAwayHidesTheFarEarThenTheFarEye) {
  using V = std::array<float, 5>;
  EXPECT_EQ(visibility(0), (V{2, 2, 2, 2, 2}));
  EXPECT_EQ(visibility(0.3f), (V{2, 2, 2, 2, 2}));
  EXPECT_EQ(visibility(0.5f), (V{2, 2, 2, 0, 2}));   // left side away: left ear hidden
  EXPECT_EQ(visibility(-0.5f), (V{2, 2, 2, 2, 0}));  // right side away
  EXPECT_EQ(visibility(1.1f), (V{0, 2, 2, 0, 2}));   // and, further, the left eye
  EXPECT_EQ(visibility(-1.2f), (V{2, 0, 2, 2, 0}));
  // A hidden keypoint is not labelled: no position either.
  const HeadTruth turned = head_truth({48, 48, 15, 18, 1.1f});
  EXPECT_EQ(turned.keypoints[0], 0.0f);
  EXPECT_EQ(turned.keypoints[1], 0.0f);
  // The head's left is the image's right when it faces the camera (as in COCO).
  const HeadTruth front = head_truth({48, 48, 15, 18, 0});
  EXPECT_GT(front.keypoints[0], front.keypoints[3]);
  EXPECT_GT(front.keypoints[9], 48 + 14.9);
  EXPECT_LT(front.keypoints[12], 48 - 14.9);
}

TEST_F(SynthObjectsTest, KeypointPoolHasHeadsWithKeypointsInsideTheirBoxes) {
  write_object_pool({300, {Kind::images, {1, 96, 96}}, 1, 5, 0}, {Task::keypoints, 4},
                    dir / "heads.h5", Overwrite::refuse);
  PoolFile pool = PoolFile::open(dir / "heads.h5");
  const TaskInfo& task = pool.meta().task;
  EXPECT_EQ(task.kind, Task::keypoints);
  EXPECT_EQ(task.keypoint_names, head_keypoint_names());
  EXPECT_EQ(task.flip_pairs, (std::vector<std::array<std::int32_t, 2>>{{0, 1}, {3, 4}}));
  EXPECT_EQ(pool.meta().classes, std::vector<std::string>{"head"});
  EXPECT_NO_THROW(pool.check_contents());  // boxes inside the image, visibility 0/1/2
  const ObjectTable objects = read_objects(pool, 0, 300);
  std::size_t most = 0, hidden = 0, shown = 0;
  for (std::size_t i = 0; i < 300; ++i) most = std::max(most, objects.objects(i));
  EXPECT_EQ(most, 4u);
  for (std::size_t o = 0; o < objects.total(); ++o) {
    const float* box = &objects.boxes[4 * o];
    for (int k = 0; k < 5; ++k) {
      const float* p = &objects.keypoints[(5 * o + k) * 3];
      if (p[2] == 0) {
        ++hidden;
        continue;
      }
      ++shown;
      EXPECT_TRUE(p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3])
          << "object " << o << " keypoint " << k;
    }
  }
  // About a third of the far ears and a fifth of the far eyes are hidden.
  EXPECT_GT(hidden, objects.total() / 3);
  EXPECT_GT(shown, 3 * objects.total());
}

TEST_F(SynthObjectsTest, ItemsDependOnlyOnSeedAndId) {
  write_object_pool({40, {Kind::images, {3, 64, 64}}, 1, 9, 100}, {Task::keypoints, 3},
                    dir / "all.h5", Overwrite::refuse);
  write_object_pool({10, {Kind::images, {3, 64, 64}}, 1, 9, 130}, {Task::keypoints, 3},
                    dir / "tail.h5", Overwrite::refuse);
  PoolFile all = PoolFile::open(dir / "all.h5"), tail = PoolFile::open(dir / "tail.h5");
  const std::size_t item = 3 * 64 * 64;
  std::vector<std::uint8_t> a(10 * item), b(10 * item);
  all.items().read_rows<std::uint8_t>(30, 10, a);
  tail.items().read_rows<std::uint8_t>(0, 10, b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(read_objects(all, 30, 10).boxes, read_objects(tail, 0, 10).boxes);
  EXPECT_EQ(tail.ids().read_all<std::uint64_t>().front(), 130u);
}

TEST_F(SynthObjectsTest, DetectPoolHasThreeShapeClasses) {
  write_object_pool({200, {Kind::images, {1, 64, 64}}, 1, 2, 0}, {Task::detect, 5},
                    dir / "shapes.h5", Overwrite::refuse);
  PoolFile pool = PoolFile::open(dir / "shapes.h5");
  EXPECT_EQ(pool.meta().task.kind, Task::detect);
  EXPECT_EQ(pool.meta().classes, (std::vector<std::string>{"circle", "square", "triangle"}));
  EXPECT_NO_THROW(pool.check_contents());
  const ObjectTable objects = read_objects(pool, 0, 200);
  std::array<int, 3> per_class{};
  for (std::int32_t label : objects.labels) ++per_class[label];
  for (int count : per_class) EXPECT_GT(count, int(objects.total()) / 5);
  EXPECT_TRUE(objects.keypoints.empty());
  EXPECT_GT(objects.total(), 400u);
  // Objects are drawn bright (>= 0.6 of full scale) over a darker background and clutter: the
  // pixel at each box's centre, inside every shape, is bright.
  const std::vector<std::uint8_t> pixels = pool.items().read_all<std::uint8_t>();
  for (std::size_t i = 0; i < 200; ++i)
    for (std::size_t o = objects.first(i); o < objects.first(i) + objects.objects(i); ++o) {
      const auto x = std::size_t((objects.boxes[4 * o] + objects.boxes[4 * o + 2]) / 2);
      const auto y = std::size_t((objects.boxes[4 * o + 1] + objects.boxes[4 * o + 3]) / 2);
      EXPECT_GT(pixels[i * 64 * 64 + y * 64 + x], 128) << "item " << i << " object " << o;
    }
}

}  // namespace
}  // namespace quarry::pool

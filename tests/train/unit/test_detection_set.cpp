#include <gtest/gtest.h>

#include "core/error.hpp"
#include "files/ledger/ledger.hpp"
#include "files/pool/writer.hpp"
#include "support/temp_dir.hpp"
#include "train/detection_set.hpp"

namespace quarry::train {
namespace {

// A keypoint pool of 4 items 1x32x32 (ids 10, 11, ...): item i holds i objects, the second of
// each a crowd region; keypoint 1 is unlabeled, the others visible.
void write_pool(const std::filesystem::path& path, bool with_objects = true) {
  // Field by field: GCC 12 sees the braced aggregate as maybe-uninitialized (-Werror).
  pool::PoolSpec spec;
  spec.count = 4;
  spec.shape.dims = {1, 32, 32};
  spec.classes = {"a", "b"};
  spec.source = "test";
  spec.task.kind = pool::Task::keypoints;
  spec.task.keypoint_names = {"left", "right", "nose"};
  spec.task.flip_pairs = {{0, 1}};
  spec.task.has_objects = with_objects;
  pool::PoolWriter writer(path, Overwrite::refuse, spec);
  std::vector<std::uint8_t> pixels(4 * 32 * 32);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = std::uint8_t(i / 1024 * 10);
  const std::vector<std::uint64_t> ids{10, 11, 12, 13};
  writer.append(std::span<const std::uint8_t>(pixels), ids);
  pool::ObjectTable objects;
  for (int i = 0; i < 4; ++i) {
    objects.add_row();
    for (int j = 0; j < i; ++j) {
      const float x = float(4 * j);
      const std::vector<float> points{x + 1, 2, 2, 0, 0, 0, x + 2, 4, 1};
      objects.add_object({x, 1, x + 8, 9}, j % 2, points, j == 1);
    }
  }
  if (with_objects) writer.append_objects(objects);
  writer.finish();
}

TEST(DetectionSet, WithoutALedgerEveryItemTrainsOnItsObjects) {
  testing::TempDir dir;
  write_pool(dir / "p.h5");
  const auto set = load_detection_set(dir / "p.h5", {});
  EXPECT_EQ(set.ids, (std::vector<std::uint64_t>{10, 11, 12, 13}));
  EXPECT_TRUE(set.ledger_sha256.empty());
  EXPECT_EQ(set.keypoints(), 3);
  EXPECT_EQ(set.pixels.size(), 4u * 1024u);
  EXPECT_EQ(set.pixels[2 * 1024], 20);
  const auto objects = set.item_objects(2);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects.boxes, (std::vector<float>{0, 1, 8, 9, 4, 1, 12, 9}));
  EXPECT_EQ(objects.crowd, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_EQ(objects.keypoints.size(), 18u);
  const auto shape = set.target_shape();
  EXPECT_EQ(shape.classes, 2);
  EXPECT_EQ(shape.out_height(), 8);
}

TEST(DetectionSet, BatchesAreNormalisedByTheGlobalBatchsObjects) {
  testing::TempDir dir;
  write_pool(dir / "p.h5");
  const auto set = load_detection_set(dir / "p.h5", {});
  const std::vector<std::size_t> global{3, 1, 2, 0}, mine{2, 0};
  std::vector<float> out(2 * 1024);
  const auto targets = fill_detection_batch(set, global, mine, {}, 0, 0, 0.5f, 1.0f, out.data());
  // 6 objects, of which items 2 and 3 hold one crowd region each; 2 labeled keypoints each.
  EXPECT_EQ(targets.objects, 4);
  EXPECT_EQ(targets.visible_keypoints, 8);
  EXPECT_EQ(targets.items, 2);
  EXPECT_EQ(targets.box_cell.size(), 1u);  // item 2's first object; item 0 has none
  EXPECT_FLOAT_EQ(out[0], 20 * 0.5f + 1.0f);
  EXPECT_FLOAT_EQ(out[1024], 1.0f);
}

TEST(DetectionSet, APoolWithoutObjectsIsBadInput) {
  testing::TempDir dir;
  write_pool(dir / "p.h5", false);
  try {
    load_detection_set(dir / "p.h5", {});
    FAIL() << "a pool without objects trained";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/objects"), std::string::npos) << e.what();
  }
}

// A ledger whose items 11 and 13 hold consensus objects unlike the pool's: item 11 one box of
// class b (confidence 0.5), item 13 none.
void write_object_ledger(const std::filesystem::path& path) {
  ingest::Ledger ledger;
  ledger.classes = {"a", "b"};
  ledger.rounds = 1;
  ledger.ids = {11, 13};
  ledger.labels = {ingest::kObjectsOnly, ingest::kObjectsOnly};
  ledger.confidence = {1, 1};
  ledger.votes = {1, 1};
  ledger.round = {1, 1};
  ledger.source = {"answers.csv", "answers.csv"};
  ledger.objects.present = true;
  ledger.objects.keypoint_names = {"left", "right", "nose"};
  auto& rows = ledger.objects.current;
  rows.add_row();
  const std::vector<float> points{3, 4, 2, 0, 0, 0, 5, 6, 2};
  rows.add_object({2, 3, 20, 21}, 1, points, 0.5f);
  rows.add_row();
  ingest::write_ledger(path, ledger);
}

TEST(DetectionSet, ALedgerWithObjectsTrainsOnItsObjectsWeightedByConfidence) {
  testing::TempDir dir;
  write_pool(dir / "p.h5", false);  // no ground truth: the ledger's objects are all there is
  write_object_ledger(dir / "labels.h5");
  const auto set = load_detection_set(dir / "p.h5", dir / "labels.h5");
  EXPECT_EQ(set.ids, (std::vector<std::uint64_t>{11, 13}));
  EXPECT_FALSE(set.ledger_sha256.empty());
  EXPECT_EQ(set.pixels[0], 10);  // item 11's pixels (row 1)
  const auto first = set.item_objects(0);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first.boxes, (std::vector<float>{2, 3, 20, 21}));
  EXPECT_EQ(first.labels, (std::vector<std::int32_t>{1}));
  EXPECT_EQ(first.keypoints, (std::vector<float>{3, 4, 2, 0, 0, 0, 5, 6, 2}));
  EXPECT_EQ(first.weights, (std::vector<float>{0.5f}));
  EXPECT_EQ(set.item_objects(1).size(), 0u);
  // With ground truth in the pool the ledger's objects still win.
  write_pool(dir / "truth.h5");
  const auto with_truth = load_detection_set(dir / "truth.h5", dir / "labels.h5");
  EXPECT_EQ(with_truth.item_objects(0).boxes, first.boxes);
}

}  // namespace
}  // namespace quarry::train

// The ledger's objects (DESIGN.md "Ledger with objects"): consensus objects aligned with the ids,
// each answer's own objects aligned with the raw answers, history when an item's objects change,
// re-ingesting a recorded file leaves the bytes alone, damaged object groups are bad input, and a
// classification ledger carries no object groups.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "files/ledger/ledger.hpp"
#include "h5/file.hpp"
#include "support/temp_dir.hpp"

namespace quarry::ingest {
namespace {

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Two keypoints; an object's keypoints are placed inside its box.
std::vector<float> points(float x, float y) {
  return {x + 1, y + 1, 2, x + 2, y + 2, 1};
}

struct Item {
  std::uint64_t id;
  std::vector<std::array<float, 4>> boxes;
};

// Consensus items with objects of class 1, each answered by two annotators who drew the same.
LedgerUpdate update_from(const std::string& file, const std::vector<Item>& items,
                         std::vector<std::uint64_t> unresolved = {}) {
  LedgerUpdate update;
  update.classes = {"head", "hand"};
  update.file_names = {file};
  update.file_sha256 = {file + "-sha"};
  update.unresolved = std::move(unresolved);
  ObjectUpdate objects;
  objects.keypoint_names = {"left", "right"};
  for (const auto& item : items) {
    update.labels.push_back({item.id, kObjectsOnly, 0.9f, 2, file});
    objects.labels.add_row();
    for (const auto& box : item.boxes)
      objects.labels.add_object(box, 1, points(box[0], box[1]), 0.9f);
    for (const char* annotator : {"ann", "bob"}) {
      update.answers.push_back({item.id, annotator, kObjectsOnly});
      objects.answers.add_row();
      for (const auto& box : item.boxes)
        objects.answers.add_object(box, 1, points(box[0], box[1]), 1.0f);
    }
  }
  update.objects = std::move(objects);
  return update;
}

TEST(LedgerObjects, WritesAndReadsConsensusAndRawObjects) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  append_to_ledger(
      path, update_from("a.json",
                        {{20, {{1, 2, 10, 12}, {3, 4, 30, 40}}}, {10, {}}, {30, {{5, 5, 9, 9}}}}));
  const Ledger ledger = read_ledger(path);
  ASSERT_TRUE(ledger.objects.present);
  EXPECT_EQ(ledger.objects.keypoint_names, (std::vector<std::string>{"left", "right"}));
  EXPECT_EQ(ledger.ids, (std::vector<std::uint64_t>{10, 20, 30}));
  EXPECT_EQ(ledger.labels, (std::vector<std::int32_t>{-1, -1, -1}));
  const auto& current = ledger.objects.current;
  EXPECT_EQ(current.offsets, (std::vector<std::uint64_t>{0, 0, 2, 3}));  // follows the id order
  EXPECT_EQ(std::vector<float>(current.boxes.begin(), current.boxes.begin() + 4),
            (std::vector<float>{1, 2, 10, 12}));
  EXPECT_EQ(current.keypoints.size(), 3u * 2 * 3);
  EXPECT_EQ(current.confidence, (std::vector<float>{0.9f, 0.9f, 0.9f}));
  EXPECT_EQ(ledger.annotations.ids.size(), 6u);
  EXPECT_EQ(ledger.objects.raw.rows(), 6u);
  EXPECT_EQ(ledger.objects.raw.total(), 6u);
  EXPECT_TRUE(ledger.objects.history.ids.empty());
}

TEST(LedgerObjects, ChangedObjectsKeepTheirHistoryAndUnchangedOnesConfirm) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  append_to_ledger(path, update_from("a.json", {{1, {{1, 1, 5, 5}}}, {2, {{2, 2, 6, 6}}}}));
  auto second = append_to_ledger(
      path, update_from("b.json", {{1, {{1, 1, 5, 5}}}, {2, {{2, 2, 7, 7}}}, {3, {}}}));
  EXPECT_EQ(second.added, 1u);
  EXPECT_EQ(second.changed, 1u);
  EXPECT_EQ(second.confirmed, 1u);
  const Ledger ledger = read_ledger(path);
  const auto& history = ledger.objects.history;
  ASSERT_EQ(history.ids, (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(history.round, (std::vector<std::int32_t>{1}));
  EXPECT_EQ(history.replaced_in_round, (std::vector<std::int32_t>{2}));
  EXPECT_EQ(history.boxes, (std::vector<float>{2, 2, 6, 6}));
  EXPECT_EQ(ledger.objects.current.offsets, (std::vector<std::uint64_t>{0, 1, 2, 2}));
  EXPECT_EQ(ledger.objects.current.boxes, (std::vector<float>{1, 1, 5, 5, 2, 2, 7, 7}));
  EXPECT_EQ(ledger.objects.raw.rows(), ledger.annotations.ids.size());
}

TEST(LedgerObjects, ReingestingARecordedFileLeavesTheBytesAlone) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  const auto update = update_from("a.json", {{7, {{1, 1, 5, 5}}}});
  append_to_ledger(path, update);
  const std::string before = file_bytes(path);
  EXPECT_FALSE(append_to_ledger(path, update).written);
  EXPECT_EQ(file_bytes(path), before);
}

TEST(LedgerObjects, ClassificationLedgerHasNoObjectGroups) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  LedgerUpdate update;
  update.classes = {"cat", "dog"};
  update.labels = {{5, 1, 0.9f, 3, "a.csv"}};
  update.answers = {{5, "ann", 1}};
  update.file_names = {"a.csv"};
  update.file_sha256 = {"aaaa"};
  append_to_ledger(path, update);
  const auto file = h5::File::open_read_only(path);
  EXPECT_FALSE(file.exists("/objects"));
  EXPECT_FALSE(file.exists("/annotations/objects"));
  EXPECT_FALSE(read_ledger(path).objects.present);
  // Objects for a classification ledger are the wrong pool's.
  update.file_sha256 = {"bbbb"};
  update.labels[0].label = kObjectsOnly;
  update.objects = ObjectUpdate{};
  update.objects->labels.add_row();
  update.objects->answers.add_row();
  EXPECT_THROW(append_to_ledger(path, update), InputError);
}

TEST(LedgerObjects, DamagedObjectGroupIsBadInput) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  Ledger ledger;
  ledger.classes = {"head"};
  ledger.rounds = 1;
  ledger.ids = {4};
  ledger.labels = {kObjectsOnly};
  ledger.confidence = {1};
  ledger.votes = {1};
  ledger.round = {1};
  ledger.source = {"a.json"};
  ledger.objects.present = true;
  ledger.objects.current.add_row();
  ledger.objects.current.add_object({5, 5, 1, 9}, 0, {}, 1);  // x0 > x1
  write_ledger(path, ledger);
  try {
    read_ledger(path);
    FAIL() << "a box with x0 > x1 was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("item row 0, object 0"), std::string::npos) << e.what();
  }
  ledger.objects.current.boxes = {1, 1, 4, 4};
  ledger.objects.current.labels = {3};  // outside the one class
  write_ledger(path, ledger);
  EXPECT_THROW(read_ledger(path), InputError);
  ledger.objects.current.labels = {0};
  write_ledger(path, ledger);
  EXPECT_EQ(read_ledger(path).objects.current.total(), 1u);
}

}  // namespace
}  // namespace quarry::ingest

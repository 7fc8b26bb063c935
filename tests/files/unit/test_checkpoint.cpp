#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "files/scores/checkpoint.hpp"
#include "support/temp_dir.hpp"

namespace quarry::score {
namespace {

UnitResult sample_unit(std::uint64_t unit, std::uint64_t first, std::uint64_t count) {
  UnitResult result;
  result.reset(unit, first, count, 3, 4, 2);
  for (std::uint64_t i = 0; i < count; ++i) {
    result.ids[i] = 100 + first + i;
    result.pred[i] = static_cast<std::int32_t>(i % 3);
    for (std::uint64_t c = 0; c < 3; ++c) result.probs[i * 3 + c] = to_float16(0.1f * float(c + i));
    for (std::uint64_t d = 0; d < 4; ++d) result.embeddings[i * 4 + d] = to_float16(float(d) - i);
    result.scores[0][i] = 0.5f * float(i);
    result.scores[1][i] = -float(i);
  }
  return result;
}

TEST(Checkpoint, UnitsCutThePoolIntoWholeRanges) {
  EXPECT_EQ(unit_count(10, 4), 3u);
  EXPECT_EQ(unit_rows(10, 4, 2).begin, 8u);
  EXPECT_EQ(unit_rows(10, 4, 2).end, 10u);
  EXPECT_EQ(unit_count(0, 4), 0u);
}

TEST(Checkpoint, CommittedUnitsReadBackExactly) {
  testing::TempDir dir;
  const auto folder = Checkpoint::folder_for(dir.path() / "scores.h5");
  Checkpoint::prepare(folder, {{"batch", 256}}, false, false);
  Checkpoint checkpoint(folder);
  EXPECT_EQ(checkpoint.committed(3), std::vector<bool>({false, false, false}));
  const auto unit = sample_unit(1, 8, 5);
  checkpoint.commit(unit);
  EXPECT_EQ(checkpoint.committed(3), std::vector<bool>({false, true, false}));
  const auto back = checkpoint.load(1);
  EXPECT_EQ(back.first_row, 8u);
  EXPECT_EQ(back.ids, unit.ids);
  EXPECT_EQ(back.pred, unit.pred);
  ASSERT_EQ(back.probs.size(), unit.probs.size());
  for (std::size_t i = 0; i < back.probs.size(); ++i)
    EXPECT_EQ(back.probs[i].bits, unit.probs[i].bits);
  for (std::size_t i = 0; i < back.embeddings.size(); ++i)
    EXPECT_EQ(back.embeddings[i].bits, unit.embeddings[i].bits);
  EXPECT_EQ(back.scores, unit.scores);
  checkpoint.remove();
  EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST(Checkpoint, APartialRunIsNeverSilentlyReplacedOrResumedWithOtherSettings) {
  testing::TempDir dir;
  const auto folder = Checkpoint::folder_for(dir.path() / "scores.h5");
  Checkpoint::prepare(folder, {{"batch", 256}, {"model_sha256", "abc"}}, false, false);
  Checkpoint(folder).commit(sample_unit(0, 0, 2));
  // Without --resume: refused (exit 2), the unit stays.
  EXPECT_THROW(Checkpoint::prepare(folder, {{"batch", 256}, {"model_sha256", "abc"}}, false, false),
               UsageError);
  EXPECT_TRUE(Checkpoint(folder).committed(1)[0]);
  // Resuming with another model: refused, naming the setting.
  try {
    Checkpoint::prepare(folder, {{"batch", 256}, {"model_sha256", "def"}}, true, false);
    FAIL() << "resumed with another model";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("model_sha256"), std::string::npos);
  }
  // Same settings: resumes, the unit is still there.
  Checkpoint::prepare(folder, {{"batch", 256}, {"model_sha256", "abc"}}, true, false);
  EXPECT_TRUE(Checkpoint(folder).committed(1)[0]);
  // --force discards it.
  Checkpoint::prepare(folder, {{"batch", 256}, {"model_sha256", "abc"}}, false, true);
  EXPECT_FALSE(Checkpoint(folder).committed(1)[0]);
}

TEST(Checkpoint, DetectionsReadBackExactly) {
  testing::TempDir dir;
  const auto folder = Checkpoint::folder_for(dir.path() / "scores.h5");
  Checkpoint::prepare(folder, {}, false, false);
  Checkpoint checkpoint(folder);
  // Three rows with 2, 0 and 1 detections of 2 keypoints each, with class probabilities.
  auto unit = sample_unit(0, 0, 3);
  auto& d = unit.detections;
  d.reset(true, 2, true);
  for (std::uint64_t row : {0, 0, 2}) {
    d.boxes.insert(d.boxes.end(), {1.0f * row, 2.0f, 3.0f, 4.0f});
    d.labels.push_back(static_cast<std::int32_t>(row));
    d.confidence.push_back(to_float16(0.5f + 0.1f * float(row)));
    for (int c = 0; c < 3; ++c) d.probs.push_back(to_float16(0.25f * float(c)));
    for (int k = 0; k < 6; ++k) d.keypoints_xyc.push_back(float(k) + float(row));
  }
  d.offsets = {0, 2, 2, 3};
  checkpoint.commit(unit);
  EXPECT_EQ(checkpoint.detections_in(0), 3u);
  const auto back = checkpoint.load(0).detections;
  EXPECT_TRUE(back.present && back.has_probs);
  EXPECT_EQ(back.keypoints, 2u);
  EXPECT_EQ(back.offsets, d.offsets);
  EXPECT_EQ(back.boxes, d.boxes);
  EXPECT_EQ(back.labels, d.labels);
  EXPECT_EQ(back.keypoints_xyc, d.keypoints_xyc);
  ASSERT_EQ(back.confidence.size(), 3u);
  EXPECT_EQ(to_float32(back.confidence[2]), to_float32(d.confidence[2]));
  ASSERT_EQ(back.probs.size(), 9u);
  EXPECT_EQ(to_float32(back.probs[8]), 0.5f);
  // A unit without detections reads back as one (classification pools).
  checkpoint.commit(sample_unit(1, 3, 2));
  EXPECT_FALSE(checkpoint.load(1).detections.present);
  EXPECT_EQ(checkpoint.detections_in(1), 0u);
}

TEST(Checkpoint, ATruncatedUnitFileIsAnError) {
  testing::TempDir dir;
  const auto folder = Checkpoint::folder_for(dir.path() / "scores.h5");
  Checkpoint::prepare(folder, {}, false, false);
  Checkpoint checkpoint(folder);
  checkpoint.commit(sample_unit(0, 0, 4));
  const auto file = folder / "unit-000000.bin";
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 3);
  EXPECT_THROW(checkpoint.load(0), Error);
}

}  // namespace
}  // namespace quarry::score

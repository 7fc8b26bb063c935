#pragma once
// Export inputs for tests and the benchmark: a synthetic pool, a scores file for it (made with
// the contract's own create_scores_layout) and a selection of k of its items, in a pick order
// that is not the row order, so tests see the export reorder reads and keep pick order.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace quarry::testing {

struct ExportFixture {
  std::filesystem::path pool, scores, selection;
  std::vector<std::uint64_t> selected;  // pick order
  std::vector<std::string> classes;
};

struct FixtureSpec {
  std::uint64_t items = 200;
  std::string shape = "1x8x8";
  int classes = 3;
  std::uint64_t k = 20;
  std::uint64_t first_id = 1000;
  std::uint64_t seed = 7;
};

// Writes pool.h5, scores.h5 and selection.h5 into `folder`.
ExportFixture make_export_fixture(const std::filesystem::path& folder, const FixtureSpec& spec);

// Scores for `pool` written to `path`, with the pool's ids shifted by `id_shift` (0: the pool's
// own ids; otherwise a scores file "of another pool").
void write_fixture_scores(const std::filesystem::path& pool, const std::filesystem::path& path,
                          std::uint64_t id_shift = 0);

// Detections for a pool with objects (detect or keypoints), written to `path`: every
// ground-truth object of an item becomes a detection of its class with confidence
// fixture_detection_confidence(j) (j its index in the item), its keypoints at the ground truth
// with confidence 0.75; each item then gets one more detection, box (1, 1, 3, 3) of class 0 and
// confidence kFixtureLowConfidence. With `without_detections` the file is a classifier's (no
// /detections), for the refusal tests.
inline constexpr float kFixtureLowConfidence = 0.0500488281f;  // 0.05 as fp16 stores it
float fixture_detection_confidence(std::size_t j);
void write_detection_scores(const std::filesystem::path& pool, const std::filesystem::path& path,
                            bool without_detections = false);

// A selection of `ids` in the order given.
void write_fixture_selection(const std::filesystem::path& path,
                             const std::vector<std::uint64_t>& ids);

// The fixture's predicted class and its probabilities for an item id (what the scores hold).
std::int32_t fixture_prediction(std::uint64_t id, int classes);
std::vector<float> fixture_probabilities(std::uint64_t id, int classes);

}  // namespace quarry::testing

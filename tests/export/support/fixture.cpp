#include "support/fixture.hpp"

#include <algorithm>
#include <numeric>

#include "core/atomic_output.hpp"
#include "core/float16.hpp"
#include "files/pool/objects.hpp"
#include "files/pool/schema.hpp"
#include "files/scores/scores_file.hpp"
#include "files/selection/selection_file.hpp"
#include "pool/synth.hpp"

namespace quarry::testing {

std::int32_t fixture_prediction(std::uint64_t id, int classes) {
  return static_cast<std::int32_t>((id * 7 + 3) % static_cast<std::uint64_t>(classes));
}

std::vector<float> fixture_probabilities(std::uint64_t id, int classes) {
  // The predicted class holds the largest share; the rest is spread by the id.
  std::vector<float> probs(classes, 0.0f);
  const float top = 0.4f + 0.5f * static_cast<float>(id % 97) / 97.0f;
  const std::int32_t predicted = fixture_prediction(id, classes);
  for (int c = 0; c < classes; ++c)
    probs[c] = c == predicted ? top : (1.0f - top) / static_cast<float>(std::max(1, classes - 1));
  // Stored as fp16: give the tests the value they will read back.
  for (float& p : probs) p = to_float32(to_float16(p));
  return probs;
}

namespace {

// A scores file's attributes for `pool`, embeddings of 4, one acquisition.
score::ScoresMeta fixture_meta(const pool::PoolFile& pool, const std::filesystem::path& pool_path,
                               const std::string& acquisition) {
  score::ScoresMeta meta;
  meta.count = pool.meta().count;
  meta.classes = pool.meta().classes.size();
  meta.embedding_dim = 4;
  meta.class_names = pool.meta().classes;
  meta.acquisitions = {acquisition};
  meta.pool = pool_path.string();
  meta.model = "/models/round1/model.pt";
  meta.ranks = 1;
  meta.quarry_version = "test";
  return meta;
}

}  // namespace

void write_fixture_scores(const std::filesystem::path& pool_path, const std::filesystem::path& path,
                          std::uint64_t id_shift) {
  const pool::PoolFile pool = pool::PoolFile::open(pool_path);
  const auto ids = pool.ids().read_all<std::uint64_t>();
  const int classes = static_cast<int>(pool.meta().classes.size());
  score::ScoresMeta meta = fixture_meta(pool, pool_path, "margin");
  meta.model = "/models/round3/model.pt";
  meta.model_sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  auto file = h5::File::create(path);
  create_scores_layout(file, meta, 1024);
  const hsize_t n = ids.size();
  std::vector<std::uint64_t> shifted(ids);
  for (auto& id : shifted) id += id_shift;
  std::vector<std::int32_t> pred(n);
  std::vector<Float16> probs(n * meta.classes), embeddings(n * 4, to_float16(0.5f));
  std::vector<float> margin(n);
  for (hsize_t r = 0; r < n; ++r) {
    pred[r] = fixture_prediction(ids[r], classes);
    const auto p = fixture_probabilities(ids[r], classes);
    for (int c = 0; c < classes; ++c) probs[r * classes + c] = to_float16(p[c]);
    margin[r] = 1.0f - p[pred[r]];
  }
  file.open_dataset(score::kIds).write_rows<std::uint64_t>(0, n, shifted);
  file.open_dataset(score::kPred).write_rows<std::int32_t>(0, n, pred);
  file.open_dataset(score::kProbs).write_rows<Float16>(0, n, probs);
  file.open_dataset(score::kEmbeddings).write_rows<Float16>(0, n, embeddings);
  file.open_dataset(score::score_dataset("margin")).write_rows<float>(0, n, margin);
  file.flush();
}

float fixture_detection_confidence(std::size_t j) {
  return to_float32(to_float16(0.95f - 0.3f * static_cast<float>(j % 3)));
}

namespace {

score::ScoresMeta detection_meta(const pool::PoolFile& pool, const std::filesystem::path& pool_path,
                                 std::uint64_t detections, bool without_detections) {
  score::ScoresMeta meta = fixture_meta(pool, pool_path, "det_margin_max");
  if (!without_detections) {
    meta.task = pool::task_name(pool.meta().task.kind);
    meta.detections = detections;
    meta.keypoints = pool.meta().task.keypoints();
  }
  return meta;
}

}  // namespace

void write_detection_scores(const std::filesystem::path& pool_path,
                            const std::filesystem::path& path, bool without_detections) {
  const pool::PoolFile pool = pool::PoolFile::open(pool_path);
  const std::uint64_t n = pool.meta().count;
  const std::size_t k = pool.meta().task.keypoints();
  const pool::ObjectTable truth = pool::read_objects(pool, 0, n);
  pool::ObjectTable d;  // the detections, in the same CSR layout
  std::vector<Float16> confidence;
  std::vector<float> keypoints;
  for (std::uint64_t i = 0; i < n; ++i) {
    d.add_row();
    for (std::size_t j = 0; j < truth.objects(i); ++j) {
      const std::size_t o = truth.first(i) + j;
      d.add_object({truth.boxes[4 * o], truth.boxes[4 * o + 1], truth.boxes[4 * o + 2],
                    truth.boxes[4 * o + 3]},
                   truth.labels[o]);
      confidence.push_back(to_float16(fixture_detection_confidence(j)));
      for (std::size_t p = 0; p < k; ++p)
        keypoints.insert(keypoints.end(), {truth.keypoints[(o * k + p) * 3],
                                           truth.keypoints[(o * k + p) * 3 + 1], 0.75f});
    }
    d.add_object({1, 1, 3, 3}, 0);
    confidence.push_back(to_float16(kFixtureLowConfidence));
    for (std::size_t p = 0; p < k; ++p) keypoints.insert(keypoints.end(), {2, 2, 0.1f});
  }
  const score::ScoresMeta meta = detection_meta(pool, pool_path, d.total(), without_detections);
  auto file = h5::File::create(path);
  create_scores_layout(file, meta, 64);
  const auto ids = pool.ids().read_all<std::uint64_t>();
  std::vector<std::int32_t> pred(n, -1);
  std::vector<Float16> probs(n * meta.classes, to_float16(0)), embeddings(n * 4, to_float16(0.5f));
  std::vector<float> margin(n, 0.5f);
  file.open_dataset(score::kIds).write_rows<std::uint64_t>(0, n, ids);
  file.open_dataset(score::kPred).write_rows<std::int32_t>(0, n, pred);
  file.open_dataset(score::kProbs).write_rows<Float16>(0, n, probs);
  file.open_dataset(score::kEmbeddings).write_rows<Float16>(0, n, embeddings);
  file.open_dataset(score::score_dataset("det_margin_max")).write_rows<float>(0, n, margin);
  if (!without_detections) {
    const std::uint64_t m = d.total();
    file.open_dataset(score::kDetectionOffsets).write_rows<std::uint64_t>(0, n + 1, d.offsets);
    file.open_dataset(score::kDetectionBoxes).write_rows<float>(0, m, d.boxes);
    file.open_dataset(score::kDetectionLabels).write_rows<std::int32_t>(0, m, d.labels);
    file.open_dataset(score::kDetectionConfidence).write_rows<Float16>(0, m, confidence);
    if (k > 0) file.open_dataset(score::kDetectionKeypoints).write_rows<float>(0, m, keypoints);
  }
  file.flush();
}

void write_fixture_selection(const std::filesystem::path& path,
                             const std::vector<std::uint64_t>& ids) {
  select::Selection selection;
  for (const std::uint64_t id : ids) {
    selection.ids.push_back(id);
    selection.score.push_back(1.0f);
    selection.reason.push_back(0.0f);
  }
  selection.strategy = "det_margin_max";
  select::write_selection(path, selection);
}

ExportFixture make_export_fixture(const std::filesystem::path& folder, const FixtureSpec& spec) {
  ExportFixture fixture;
  fixture.pool = folder / "pool.h5";
  fixture.scores = folder / "scores.h5";
  fixture.selection = folder / "selection.h5";
  pool::SynthSpec synth;
  synth.count = spec.items;
  synth.shape = pool::parse_image_shape(spec.shape);
  synth.classes = spec.classes;
  synth.seed = spec.seed;
  synth.first_id = spec.first_id;
  pool::write_synth_pool(synth, fixture.pool, Overwrite::refuse);
  fixture.classes = pool::PoolFile::open(fixture.pool).meta().classes;
  write_fixture_scores(fixture.pool, fixture.scores);

  // Every (items / k)-th item, picked in a scrambled order (a multiplicative walk over k).
  select::Selection selection;
  const std::uint64_t stride =
      std::max<std::uint64_t>(1, spec.items / std::max<std::uint64_t>(1, spec.k));
  std::uint64_t step = 7;
  while (spec.k > 1 && std::gcd(step, spec.k) != 1) ++step;
  for (std::uint64_t i = 0; i < spec.k; ++i) {
    const std::uint64_t slot = (i * step) % spec.k;
    const std::uint64_t id = spec.first_id + slot * stride;
    selection.ids.push_back(id);
    selection.score.push_back(1.0f - static_cast<float>(i) / static_cast<float>(spec.k + 1));
    selection.reason.push_back(static_cast<float>(slot));
  }
  selection.strategy = "margin";
  selection.reason_meaning = "slot";
  selection.seed = spec.seed;
  selection.scores = fixture.scores.string();
  select::write_selection(fixture.selection, selection);
  fixture.selected = selection.ids;
  return fixture;
}

}  // namespace quarry::testing

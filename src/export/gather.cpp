#include "export/gather.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "core/float16.hpp"
#include "export/assignment.hpp"
#include "export/png_encoder.hpp"
#include "export/row_runs.hpp"
#include "pool/schema.hpp"
#include "score/scores_file.hpp"
#include "select/selection_file.hpp"

namespace quarry::exporting {

namespace {

ImageShape image_shape_of(const pool::PoolFile& pool) {
  const pool::PoolMeta& meta = pool.meta();
  const std::string name = pool.path().string();
  if (meta.shape.kind != pool::Kind::images)
    throw InputError(name, pool::kFeatures,
                     "holds precomputed features, not images: there is nothing to show annotators",
                     "export from the pool that holds the images");
  const auto& dims = meta.shape.dims;
  if (!png_can_hold(static_cast<std::uint32_t>(dims[0])))
    throw InputError(
        name, pool::kImages,
        fmt::format("items have {} channels; PNG export needs 1 (gray) or 3 (RGB)", dims[0]));
  return {static_cast<std::uint32_t>(dims[0]), static_cast<std::uint32_t>(dims[1]),
          static_cast<std::uint32_t>(dims[2])};
}

// Scores rows follow the pool's rows; a scores file of another pool (or of an older version of
// this one) would attach the wrong predictions to every item, so its ids must be the pool's.
void check_scores_match_pool(const score::ScoresFile& scores, const pool::PoolFile& pool,
                             const std::vector<std::uint64_t>& pool_ids) {
  const std::string name = scores.path().string();
  const std::string hint =
      fmt::format("use the scores file computed from {} ('quarry score')", pool.path().string());
  if (scores.meta().count != pool_ids.size())
    throw InputError(name, score::kIds,
                     fmt::format("has {} items but the pool {} has {}: scores of another pool",
                                 scores.meta().count, pool.path().string(), pool_ids.size()),
                     hint);
  const auto ids = scores.ids().read_all<std::uint64_t>();
  const auto differs = std::mismatch(ids.begin(), ids.end(), pool_ids.begin());
  if (differs.first != ids.end()) {
    const auto row = differs.first - ids.begin();
    throw InputError(name, score::kIds,
                     fmt::format("row {} holds id {} but the pool {} holds id {} there: scores of "
                                 "another pool",
                                 row, *differs.first, pool.path().string(), *differs.second),
                     hint);
  }
  const auto& pool_classes = pool.meta().classes;
  if (!pool_classes.empty() && pool_classes != scores.meta().class_names)
    throw InputError(name, "attribute classes",
                     fmt::format("names classes [{}] but the pool {} has [{}]",
                                 fmt::join(scores.meta().class_names, ", "), pool.path().string(),
                                 fmt::join(pool_classes, ", ")),
                     hint);
}

std::string model_version(const score::ScoresMeta& meta) {
  std::string name = std::filesystem::path(meta.model).filename().string();
  if (name.empty()) name = "model";
  if (meta.model_sha256.empty()) return name;
  return name + "@" + meta.model_sha256.substr(0, 12);
}

std::unordered_map<std::uint64_t, std::uint64_t> row_of_ids(const std::vector<std::uint64_t>& ids) {
  std::unordered_map<std::uint64_t, std::uint64_t> rows;
  rows.reserve(ids.size());
  for (std::uint64_t row = 0; row < ids.size(); ++row) rows.emplace(ids[row], row);
  return rows;
}

}  // namespace

ExportBatch gather_batch(const ExportInputs& inputs) {
  const select::Selection selection = select::read_selection(inputs.selection);
  const pool::PoolFile pool = pool::PoolFile::open(inputs.pool);
  const score::ScoresFile scores = score::ScoresFile::open(inputs.scores);

  ExportBatch batch;
  batch.image = image_shape_of(pool);
  const std::vector<std::uint64_t> pool_ids = pool.ids().read_all<std::uint64_t>();
  check_scores_match_pool(scores, pool, pool_ids);
  batch.classes = scores.meta().class_names;
  batch.model_version = model_version(scores.meta());
  const auto row_of = row_of_ids(pool_ids);

  const std::string selection_name = inputs.selection.string();
  std::unordered_set<std::uint64_t> seen;
  for (std::size_t i = 0; i < selection.ids.size(); ++i) {
    const std::uint64_t id = selection.ids[i];
    const auto found = row_of.find(id);
    if (found == row_of.end())
      throw InputError(
          selection_name, "/ids",
          fmt::format("row {}: id {} is not in the pool {}", i, id, inputs.pool.string()),
          "export with the pool the selection was made from");
    if (!seen.insert(id).second)
      throw InputError(selection_name, "/ids",
                       fmt::format("row {}: id {} is selected twice", i, id));
    ExportTask task;
    task.id = id;
    task.pool_row = found->second;
    task.file = image_file_for(id);
    task.score = selection.score[i];
    task.origin = Origin::selected;
    batch.tasks.push_back(std::move(task));
  }

  // Pre-labels: read only the exported rows of /pred and /probs, in row order.
  std::vector<std::uint64_t> rows;
  rows.reserve(batch.tasks.size());
  for (const ExportTask& task : batch.tasks) rows.push_back(task.pool_row);
  std::sort(rows.begin(), rows.end());
  const auto pred = read_sorted_rows<std::int32_t>(scores.pred(), rows);
  const auto probs = read_sorted_rows<Float16>(scores.probs(), rows);
  const std::size_t classes = batch.classes.size();
  for (ExportTask& task : batch.tasks) {
    const std::size_t at = std::lower_bound(rows.begin(), rows.end(), task.pool_row) - rows.begin();
    const std::int32_t predicted = pred[at];
    if (predicted < 0 || static_cast<std::size_t>(predicted) >= classes)
      throw InputError(inputs.scores.string(), score::kPred,
                       fmt::format("row {} (id {}) predicts class {}, outside the {} classes",
                                   task.pool_row, task.id, predicted, classes));
    task.prelabels.push_back(
        {PreLabel::Kind::choice, predicted, to_float32(probs[at * classes + predicted])});
  }

  if (!inputs.annotators.empty()) {
    check_annotator_names(inputs.annotators);
    batch.annotators = inputs.annotators;
    std::vector<std::uint64_t> ids;
    for (const ExportTask& task : batch.tasks) ids.push_back(task.id);
    auto assigned = assign_annotators(ids, static_cast<std::uint32_t>(inputs.annotators.size()),
                                      inputs.annotators_per_item, inputs.seed);
    for (std::size_t i = 0; i < batch.tasks.size(); ++i)
      batch.tasks[i].annotators = std::move(assigned[i]);
  } else if (inputs.annotators_per_item > 1) {
    throw UsageError("--annotators-per-item needs --annotators (the people to assign)");
  }
  return batch;
}

}  // namespace quarry::exporting

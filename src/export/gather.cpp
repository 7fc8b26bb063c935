#include "export/gather.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "core/float16.hpp"
#include "core/seeded.hpp"
#include "export/assignment.hpp"
#include "export/object_prelabels.hpp"
#include "export/quality_items.hpp"
#include "files/png/png_codec.hpp"
#include "files/pool/row_runs.hpp"
#include "files/pool/schema.hpp"
#include "files/scores/scores_file.hpp"
#include "files/selection/selection_file.hpp"

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
  if (!png::can_hold(static_cast<std::uint32_t>(dims[0])))
    throw InputError(
        name, pool::kImages,
        fmt::format("items have {} channels; PNG export needs 1 (gray) or 3 (RGB)", dims[0]));
  return {static_cast<std::uint32_t>(dims[0]), static_cast<std::uint32_t>(dims[1]),
          static_cast<std::uint32_t>(dims[2])};
}

// Rows of /ids read per step while locating ids: 8 MiB per file, whatever the pool's size.
constexpr hsize_t kIdBlock = 1 << 20;

// Maps the `wanted` ids to pool rows by streaming the pool's /ids block by block, so memory
// follows the export's size, not the pool's. The scores file's /ids stream alongside and must be
// the pool's, row for row: scores of another pool (or of an older version of this one) would
// attach the wrong prediction to every item.
std::unordered_map<std::uint64_t, std::uint64_t> locate_in_pool(
    const pool::PoolFile& pool, const score::ScoresFile& scores,
    const std::unordered_set<std::uint64_t>& wanted) {
  const std::string name = scores.path().string();
  const std::string pool_name = pool.path().string();
  const std::string hint =
      fmt::format("use the scores file computed from {} ('quarry score')", pool_name);
  const std::uint64_t count = pool.meta().count;
  if (scores.meta().count != count)
    throw InputError(name, score::kIds,
                     fmt::format("has {} items but the pool {} has {}: scores of another pool",
                                 scores.meta().count, pool_name, count),
                     hint);
  const auto& pool_classes = pool.meta().classes;
  if (!pool_classes.empty() && pool_classes != scores.meta().class_names)
    throw InputError(name, "attribute classes",
                     fmt::format("names classes [{}] but the pool {} has [{}]",
                                 fmt::join(scores.meta().class_names, ", "), pool_name,
                                 fmt::join(pool_classes, ", ")),
                     hint);
  std::unordered_map<std::uint64_t, std::uint64_t> row_of;
  row_of.reserve(wanted.size());
  const h5::Dataset scores_ids = scores.ids();
  std::vector<std::uint64_t> ids, theirs;
  for (hsize_t first = 0; first < count; first += kIdBlock) {
    const hsize_t rows = std::min<hsize_t>(kIdBlock, count - first);
    ids.resize(rows);
    theirs.resize(rows);
    pool.ids().read_rows<std::uint64_t>(first, rows, ids);
    scores_ids.read_rows<std::uint64_t>(first, rows, theirs);
    const auto differs = std::mismatch(theirs.begin(), theirs.end(), ids.begin());
    if (differs.first != theirs.end())
      throw InputError(name, score::kIds,
                       fmt::format("row {} holds id {} but the pool {} holds id {} there: scores "
                                   "of another pool",
                                   first + (differs.first - theirs.begin()), *differs.first,
                                   pool_name, *differs.second),
                       hint);
    for (hsize_t r = 0; r < rows; ++r)
      if (wanted.contains(ids[r])) row_of.emplace(ids[r], first + r);
  }
  return row_of;
}

std::string model_version(const score::ScoresMeta& meta) {
  std::string name = std::filesystem::path(meta.model).filename().string();
  if (name.empty()) name = "model";
  if (meta.model_sha256.empty()) return name;
  return name + "@" + meta.model_sha256.substr(0, 12);
}

constexpr std::uint64_t kGoldPositionSalt = 0x9051;

// Adjudication first (in ledger order), then the selection in pick order with the gold items
// mixed in at positions drawn from a hash of (seed, id), so they sit anywhere among the others.
std::vector<ExportTask> order_tasks(std::vector<ExportTask> selected, const QualityItems& quality,
                                    const std::unordered_map<std::uint64_t, std::uint64_t>& row_of,
                                    std::uint64_t seed) {
  std::vector<ExportTask> tasks;
  std::unordered_set<std::uint64_t> first(quality.adjudicate.begin(), quality.adjudicate.end());
  std::unordered_map<std::uint64_t, const ExportTask*> picked;
  for (const ExportTask& task : selected) picked.emplace(task.id, &task);
  for (const std::uint64_t id : quality.adjudicate) {
    ExportTask task = picked.contains(id) ? *picked.at(id) : ExportTask{};
    task.id = id;
    task.pool_row = row_of.at(id);
    task.file = image_file_for(id);
    task.origin = Origin::adjudication;
    if (!picked.contains(id)) task.score = std::numeric_limits<float>::quiet_NaN();
    tasks.push_back(std::move(task));
  }
  std::erase_if(selected, [&](const ExportTask& task) { return first.contains(task.id); });
  std::vector<std::pair<std::uint64_t, ExportTask>> gold;  // (position among selected, task)
  for (const GoldItem& item : quality.gold) {
    ExportTask task;
    task.id = item.id;
    task.pool_row = row_of.at(item.id);
    task.file = image_file_for(item.id);
    task.score = std::numeric_limits<float>::quiet_NaN();
    task.origin = Origin::gold;
    task.known_label = item.label;
    gold.push_back(
        {keyed_hash(seed, item.id, kGoldPositionSalt) % (selected.size() + 1), std::move(task)});
  }
  std::stable_sort(gold.begin(), gold.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto next_gold = gold.begin();
  for (std::size_t i = 0; i <= selected.size(); ++i) {
    for (; next_gold != gold.end() && next_gold->first == i; ++next_gold)
      tasks.push_back(std::move(next_gold->second));
    if (i < selected.size()) tasks.push_back(std::move(selected[i]));
  }
  return tasks;
}

// Items the selection did not score (adjudication, gold) get the acquisition value from the
// scores file, so no column tells them apart: the acquisition the strategy names, else margin,
// else the first one computed. Without any, the value stays NaN.
void score_added_items(std::vector<ExportTask>& tasks, const score::ScoresFile& scores,
                       const std::string& strategy) {
  std::vector<std::uint64_t> rows;
  for (const ExportTask& task : tasks)
    if (std::isnan(task.score)) rows.push_back(task.pool_row);
  const auto& known = scores.meta().acquisitions;
  if (rows.empty() || known.empty()) return;
  auto named = std::find_if(known.begin(), known.end(), [&](const std::string& acquisition) {
    return strategy.find(acquisition) != std::string::npos;
  });
  if (named == known.end()) named = std::find(known.begin(), known.end(), "margin");
  if (named == known.end()) named = known.begin();
  std::sort(rows.begin(), rows.end());
  const auto values = pool::read_sorted_rows<float>(scores.score(*named), rows);
  for (ExportTask& task : tasks)
    if (std::isnan(task.score))
      task.score = values[std::lower_bound(rows.begin(), rows.end(), task.pool_row) - rows.begin()];
}

void check_inputs(const ExportInputs& inputs) {
  // Written so that NaN fails too.
  if (!(inputs.prelabel_min_confidence >= 0 && inputs.prelabel_min_confidence <= 1))
    throw UsageError(fmt::format("--prelabel-min-confidence {} is not a confidence between 0 and 1",
                                 inputs.prelabel_min_confidence));
  if (inputs.gold_rate < 0 || inputs.gold_rate > 1)
    throw UsageError(
        fmt::format("--gold-rate {} is not a fraction between 0 and 1", inputs.gold_rate));
  if (inputs.gold_rate > 0 && inputs.labels.empty())
    throw UsageError("--gold-rate needs --labels (the ledger that knows the gold labels)");
  if (!inputs.annotators.empty())
    check_annotator_names(inputs.annotators);
  else if (inputs.annotators_per_item > 1)
    throw UsageError("--annotators-per-item needs --annotators (the people to assign)");
}

// The selection's items as tasks, in pick order, each found in the pool once.
std::vector<ExportTask> selected_tasks(
    const ExportInputs& inputs, const select::Selection& selection,
    const std::unordered_map<std::uint64_t, std::uint64_t>& row_of,
    std::unordered_set<std::uint64_t>& seen) {
  const std::string selection_name = inputs.selection.string();
  std::vector<ExportTask> selected;
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
    selected.push_back(std::move(task));
  }
  return selected;
}

// Pre-labels: the model's class and its probability, reading only the exported rows of /pred and
// /probs, in row order.
void add_prelabels(const ExportInputs& inputs, const score::ScoresFile& scores,
                   ExportBatch& batch) {
  std::vector<std::uint64_t> rows;
  rows.reserve(batch.tasks.size());
  for (const ExportTask& task : batch.tasks) rows.push_back(task.pool_row);
  std::sort(rows.begin(), rows.end());
  const auto pred = pool::read_sorted_rows<std::int32_t>(scores.pred(), rows);
  const auto probs = pool::read_sorted_rows<Float16>(scores.probs(), rows);
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
}

void add_assignments(const ExportInputs& inputs, ExportBatch& batch) {
  if (inputs.annotators.empty()) return;
  batch.annotators = inputs.annotators;
  std::vector<std::uint64_t> ids;
  for (const ExportTask& task : batch.tasks) ids.push_back(task.id);
  auto assigned = assign_annotators(ids, static_cast<std::uint32_t>(inputs.annotators.size()),
                                    inputs.annotators_per_item, inputs.seed);
  for (std::size_t i = 0; i < batch.tasks.size(); ++i)
    batch.tasks[i].annotators = std::move(assigned[i]);
}

}  // namespace

ExportBatch gather_batch(const ExportInputs& inputs) {
  check_inputs(inputs);
  const select::Selection selection = select::read_selection(inputs.selection);
  const pool::PoolFile pool = pool::PoolFile::open(inputs.pool);
  const score::ScoresFile scores = score::ScoresFile::open(inputs.scores);
  std::optional<ingest::Ledger> ledger;
  if (!inputs.labels.empty()) ledger = ingest::read_ledger(inputs.labels);

  ExportBatch batch;
  batch.image = image_shape_of(pool);
  batch.task = pool.meta().task;
  batch.prelabel_min_confidence = static_cast<float>(inputs.prelabel_min_confidence);
  if (batch.has_objects() && inputs.gold_rate > 0)
    throw UsageError(
        fmt::format("--gold-rate: gold items are classification labels, and the pool "
                    "{} is a {} pool",
                    inputs.pool.string(), pool::task_name(batch.task.kind)));
  batch.classes = scores.meta().class_names;
  batch.model_version = model_version(scores.meta());
  std::unordered_set<std::uint64_t> wanted(selection.ids.begin(), selection.ids.end());
  if (ledger) add_ledger_candidates(*ledger, inputs.gold_rate > 0, wanted);
  const auto row_of = locate_in_pool(pool, scores, wanted);

  std::unordered_set<std::uint64_t> seen;
  std::vector<ExportTask> selected = selected_tasks(inputs, selection, row_of, seen);
  QualityItems quality;
  if (ledger)
    quality = quality_items({&*ledger, inputs.labels.string(), inputs.gold_rate, inputs.seed,
                             &batch.classes, &row_of, &seen});
  batch.tasks = order_tasks(std::move(selected), quality, row_of, inputs.seed);
  score_added_items(batch.tasks, scores, selection.strategy);
  if (batch.has_objects())
    add_object_prelabels(pool, scores, batch);
  else
    add_prelabels(inputs, scores, batch);
  add_assignments(inputs, batch);
  return batch;
}

}  // namespace quarry::exporting

#include "ingest/object_ingest.hpp"

#include <algorithm>

#include "ingest/objects/object_agreement.hpp"
#include "ingest/objects/object_consensus.hpp"
#include "ingest/readers/object_readers.hpp"

namespace quarry::ingest {

std::map<std::uint64_t, std::vector<objects::DrawnObject>> read_object_prelabels(
    const std::vector<std::filesystem::path>& files, const objects::ObjectPool& pool) {
  std::map<std::uint64_t, std::vector<objects::DrawnObject>> prelabels;
  for (const auto& file : files) {  // a later file's pre-labels of an item replace an earlier's
    RecordSink sink(file, false);
    read_csv_objects(read_annotation_file(file), sink, false);
    objects::ObjectAnswerChecker checker(pool);
    checker.check(sink);
    for (auto& item : checker.take().items)
      prelabels[item.id] = std::move(item.answers.front().objects);
  }
  return prelabels;
}

namespace {

objects::ConsensusOptions consensus_options(const IngestRequest& request,
                                            const objects::ObjectPool& pool,
                                            const objects::ObjectAnswers& answers) {
  objects::ConsensusOptions options;
  options.iou_threshold = request.object_iou;
  options.min_support = request.min_support;
  options.min_confidence = request.min_confidence;
  options.classes = static_cast<std::int32_t>(pool.classes().size());
  options.annotators = static_cast<std::int32_t>(answers.annotators.size());
  options.keypoint_count = pool.keypoint_count();
  options.dawid_skene = request.dawid_skene;
  return options;
}

// Confident items become labels with their objects; the others go to adjudication.
void fill_update(const objects::ObjectConsensus& result, const objects::ObjectAnswers& answers,
                 const objects::ObjectPool& pool, LedgerUpdate& update, IngestReport& report) {
  ObjectUpdate objects;
  if (pool.keypoint_count() > 0) objects.keypoint_names = pool.task().keypoint_names;
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    const auto& item = result.items[i];
    report.objects->objects += item.objects.size();
    report.objects->split_items += item.split;
    if (item.adjudicate) {
      update.unresolved.push_back(item.id);
      ++report.unresolved;
      continue;
    }
    double confidence = 1;
    objects.labels.add_row();
    for (const auto& o : item.objects) {
      confidence = std::min(confidence, o.confidence);
      const std::vector<float> points(o.keypoints.begin(), o.keypoints.end());
      objects.labels.add_object(
          {float(o.box[0]), float(o.box[1]), float(o.box[2]), float(o.box[3])}, o.label, points,
          float(o.confidence));
    }
    update.labels.push_back(
        {item.id, kObjectsOnly, float(confidence), item.answers, answers.item_source[i]});
    ++report.resolved;
  }
  update.answers = answers.ledger_answers;
  objects.answers = answers.ledger_objects;
  update.objects = std::move(objects);
}

std::vector<std::optional<std::vector<objects::DrawnObject>>> consensus_references(
    const objects::ObjectConsensus& result) {
  std::vector<std::optional<std::vector<objects::DrawnObject>>> references;
  for (const auto& item : result.items) references.emplace_back(objects::drawn(item));
  return references;
}

void measure(const IngestRequest& request, const objects::ObjectPool& pool,
             const objects::ObjectAnswers& answers, const objects::ObjectConsensus& result,
             const std::map<std::uint64_t, std::vector<objects::DrawnObject>>& prelabels,
             ObjectReport& out) {
  const auto sigmas =
      pool.keypoint_count() > 0 ? pool.task().keypoint_sigmas : std::vector<double>{};
  const double iou = request.object_iou;
  const auto n = static_cast<std::int32_t>(answers.annotators.size());
  out.between_annotators = objects::between_annotators(answers.items, iou, sigmas);
  const auto consensus =
      objects::against_reference(answers.items, consensus_references(result), n, iou, sigmas);
  std::vector<std::optional<std::vector<objects::DrawnObject>>> truth;
  std::vector<const std::vector<objects::DrawnObject>*> shown;
  for (const auto& item : answers.items) {
    truth.push_back(pool.truth(item.id));
    const auto it = prelabels.find(item.id);
    shown.push_back(it == prelabels.end() ? nullptr : &it->second);
  }
  const auto gold = objects::against_reference(answers.items, truth, n, iou, sigmas);
  const auto accounting = objects::account_prelabels(answers.items, shown, n, iou);
  if (!prelabels.empty()) out.prelabels = objects::PrelabelCounts{};
  for (std::int32_t a = 0; a < n; ++a) {
    const auto i = static_cast<std::size_t>(a);
    ObjectAnnotatorRow row{
        answers.annotators[i], consensus.answers[i], result.weights.reliability[i],
        consensus.scores[i],   std::nullopt,         std::nullopt};
    if (gold.answers[i] > 0) row.gold = gold.scores[i];
    if (out.prelabels) {
      row.prelabels = accounting[i];
      *out.prelabels += accounting[i];
    }
    out.annotators.push_back(std::move(row));
  }
}

}  // namespace

void decide_objects(const IngestRequest& request, const objects::ObjectPool& pool,
                    const objects::ObjectAnswers& answers,
                    const std::map<std::uint64_t, std::vector<objects::DrawnObject>>& prelabels,
                    LedgerUpdate& update, IngestReport& report) {
  report.consensus = "objects";
  report.items = answers.items.size();
  report.objects = ObjectReport{};
  report.objects->iou_threshold = request.object_iou;
  report.objects->min_support = request.min_support;
  const auto result =
      objects::object_consensus(answers.items, consensus_options(request, pool, answers));
  report.objects->iterations = result.iterations;
  report.objects->converged = result.converged;
  fill_update(result, answers, pool, update, report);
  measure(request, pool, answers, result, prelabels, *report.objects);
  for (const auto& row : report.objects->annotators) {
    AnnotatorRow classification_row;
    classification_row.name = row.name;
    classification_row.answers = row.answers;
    report.annotators.push_back(classification_row);
  }
}

}  // namespace quarry::ingest

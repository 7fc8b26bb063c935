#include "simulate/object_round.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "export/export_run.hpp"
#include "ingest/object_ingest.hpp"
#include "pipeline/round_options.hpp"
#include "simulate/object_annotators.hpp"

namespace quarry::simulate {

namespace fs = std::filesystem;

namespace {

std::vector<ItemToAnnotate> items_to_annotate(const ingest::objects::ObjectPool& pool,
                                              const std::vector<std::uint64_t>& batch,
                                              const fs::path& prelabels) {
  std::map<std::uint64_t, std::vector<ingest::objects::DrawnObject>> shown;
  if (!prelabels.empty()) shown = ingest::read_object_prelabels({prelabels}, pool);
  std::vector<ItemToAnnotate> items;
  for (const auto id : batch) {
    auto truth = pool.truth(id);
    if (!truth)
      throw InputError(pool.path(), fmt::format("item {}", id), "has no ground-truth objects",
                       "quarry simulate needs a pool with /objects for every item");
    ItemToAnnotate item;
    item.id = id;
    item.truth = std::move(*truth);
    if (const auto it = shown.find(id); it != shown.end()) item.prelabels = it->second;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

ObjectAnnotation annotate_objects(const SimulateOptions& o, const pipeline::RoundSettings& settings,
                                  const ingest::objects::ObjectPool& pool,
                                  const std::vector<std::uint64_t>& batch,
                                  const fs::path& prelabels, int round,
                                  const pipeline::RoundPaths& paths, const fs::path& answers_csv) {
  const auto items = items_to_annotate(pool, batch, prelabels);
  const auto frame = image_frame(pool);
  const auto answers =
      correct_items(items, o.object_annotators, o.votes_per_item, frame, settings.seed);
  write_object_answers_csv(answers_csv, answers, o.object_annotators, pool);
  auto paths_with_prelabels = paths;
  if (!prelabels.empty()) paths_with_prelabels.prelabels = {prelabels};
  const auto report = ingest::run_ingest(pipeline::ingest_request(
      settings, round, paths_with_prelabels, ingest::AnnotationFormat::csv, {answers_csv}));
  if (report.rejected > 0)
    throw Error(fmt::format("{}: ingest rejected {} simulated answers", answers_csv.string(),
                            report.rejected));
  ObjectAnnotation done;
  done.answers = answers.size();
  done.objects = report.objects ? report.objects->objects : 0;
  std::map<std::uint64_t, const ItemToAnnotate*> by_id;
  for (const auto& item : items) by_id[item.id] = &item;
  for (const auto& answer : answers) {
    done.seconds += answer_seconds(answer.actions, o.time);
    done.scratch_seconds += answer_seconds(scratch_actions(by_id.at(answer.id)->truth), o.time);
  }
  return done;
}

fs::path export_prelabels(const pipeline::RoundSettings& settings, int round,
                          const pipeline::RoundPaths& paths, const fs::path& out) {
  exporting::ExportRequest request;
  request.inputs = pipeline::export_inputs(settings, round, paths);
  request.formats = {exporting::Format::csv};
  request.out = out;
  request.force = true;
  exporting::run_export(request);
  return exporting::prelabels_file_for(out);
}

}  // namespace quarry::simulate

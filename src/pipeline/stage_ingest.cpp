// Stage 1: the annotations that came back. Every inbox file goes through quarry ingest into
// the ledger, then moves to rounds/NNNN/ingested/ so the inbox shows only what is new.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "export/export_run.hpp"
#include "files/manifest/manifest.hpp"
#include "files/manifest/partial_run.hpp"
#include "ingest/ingest_manifest.hpp"
#include "ingest/ingest_run.hpp"
#include "ingest/object_report.hpp"
#include "pipeline/inbox.hpp"
#include "pipeline/stages.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {

// A file every finished export left beside its folder (`file_for` names it), oldest round
// first: the inbox may answer any earlier round's batch.
std::vector<fs::path> finished_export_files(const Workspace& workspace,
                                            fs::path (*file_for)(const fs::path&)) {
  std::vector<fs::path> files;
  for (const int round : workspace.round_numbers()) {
    const auto dir = workspace.round_dir(round);
    const auto file = file_for(stage_output(dir, Stage::exporting));
    if (stage_done(dir, Stage::exporting) && fs::exists(file)) files.push_back(file);
  }
  return files;
}

nlohmann::json batch_record(ingest::AnnotationFormat format, const std::vector<fs::path>& files,
                            const ingest::IngestReport& report) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& file : files) names.push_back(file.filename().string());
  return {{"format", ingest::format_name(format)},
          {"files", names},
          {"answers", report.answers},
          {"new_answers", report.answers - report.repeated_answers},
          {"repeated_answers", report.repeated_answers},
          {"items", report.items},
          {"added", report.ledger.added},
          {"changed", report.ledger.changed},
          {"adjudicate", report.ledger.adjudicate},
          {"fleiss_kappa", report.fleiss_kappa},
          {"prelabel_acceptance", report.prelabel_acceptance
                                      ? ingest::acceptance_json(*report.prelabel_acceptance)
                                      : nlohmann::json(nullptr)},
          // Pools with objects: consensus, agreement (IoU, F1, OKS), annotators and pre-label
          // accounting (kept, adjusted, deleted, added), as the ledger's manifest records them.
          {"objects",
           report.objects ? ingest::object_report_json(*report.objects) : nlohmann::json(nullptr)}};
}

// The ledger records each file where it will be, in rounds/NNNN/ingested/, and the files move
// there only after every ingest succeeded. Moving first and back on failure would lose files
// when the process is killed in between (they would sit in ingested/ without being in the
// ledger, and no later run would look there); this way a killed run leaves them in the inbox,
// and the rerun finds them recorded (by sha256), skips them and moves them.
fs::path ingested_place(const RoundContext& context, const fs::path& file) {
  return context.dir / "ingested" / file.filename();
}

}  // namespace

void ingest_stage(const RoundContext& context) {
  const auto output = stage_output(context.dir, Stage::ingest);
  remove_unfinished_output(output);
  const auto groups = inbox_files(context.workspace.inbox());
  auto settings = round_settings(context);
  if (!settings.annotator_map.empty())  // relative to the workspace, wherever quarry runs
    settings.annotator_map = context.workspace.root() / settings.annotator_map;
  auto paths = round_paths(context);
  paths.gold = finished_export_files(context.workspace, exporting::gold_file_for);
  paths.prelabels = finished_export_files(context.workspace, exporting::prelabels_file_for);
  Manifest manifest("ingest");
  std::size_t n = 0;
  for (const auto& file : paths.gold) manifest.add_input("gold/" + std::to_string(++n), file);
  n = 0;
  for (const auto& file : paths.prelabels)
    manifest.add_input("prelabels/" + std::to_string(++n), file);
  for (const auto& [format, files] : groups)
    for (const auto& file : files) manifest.add_input("inbox/" + file.filename().string(), file);

  nlohmann::json record = {{"round", context.round}, {"batches", nlohmann::json::array()}};
  std::size_t answers = 0, added = 0, changed = 0;
  std::optional<ingest::PrelabelAcceptance> acceptance;
  for (const auto& [format, files] : groups) {
    auto request = ingest_request(settings, context.round, paths, format, files);
    for (const auto& file : files) request.recorded_names.push_back(ingested_place(context, file));
    const auto report = ingest::run_ingest(request);
    std::cout << ingest::format_report(report, request.ledger);
    answers += report.answers - report.repeated_answers;
    added += report.ledger.added;
    changed += report.ledger.changed;
    if (report.prelabel_acceptance) {
      if (!acceptance) acceptance.emplace();
      ingest::add_acceptance(*acceptance, *report.prelabel_acceptance);
    }
    record["batches"].push_back(batch_record(format, files, report));
  }
  record["prelabel_acceptance"] =
      acceptance ? ingest::acceptance_json(*acceptance) : nlohmann::json(nullptr);
  // The ledger records each file's sha256, so a file moved twice or ingested again is a no-op.
  if (!groups.empty()) fs::create_directories(context.dir / "ingested");
  for (const auto& [format, files] : groups)
    for (const auto& file : files) fs::rename(file, ingested_place(context, file));

  write_file_atomically(output, record.dump(2) + "\n");
  manifest.set_setting("consensus", settings.consensus);
  manifest.set_setting("min_confidence", settings.min_confidence);
  manifest.add_output("ingest", output);
  if (fs::exists(paths.ledger)) manifest.add_output("labels", paths.ledger);
  manifest.publish_for(output);
  std::size_t file_count = 0;
  for (const auto& [format, files] : groups) file_count += files.size();
  std::cout << fmt::format(
      "round {} ingest: {} file(s), {} new answers, {} labels added, {} changed\n",
      round_name(context.round), file_count, answers, added, changed);
}

}  // namespace quarry::pipeline

// Stage 1: the annotations that came back. Every inbox file goes through quarry ingest into
// the ledger, then moves to rounds/NNNN/ingested/ so the inbox shows only what is new.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "export/export_run.hpp"
#include "files/manifest/manifest.hpp"
#include "files/manifest/partial_run.hpp"
#include "ingest/ingest_run.hpp"
#include "pipeline/inbox.hpp"
#include "pipeline/stages.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {

// The gold lists of every finished export: the inbox may answer any earlier round's batch.
std::vector<fs::path> gold_files(const Workspace& workspace) {
  std::vector<fs::path> files;
  for (const int round : workspace.round_numbers()) {
    const auto dir = workspace.round_dir(round);
    const auto gold = exporting::gold_file_for(stage_output(dir, Stage::exporting));
    if (stage_done(dir, Stage::exporting) && fs::exists(gold)) files.push_back(gold);
  }
  return files;
}

}  // namespace

void ingest_stage(const RoundContext& context) {
  const auto output = stage_output(context.dir, Stage::ingest);
  remove_unfinished_output(output);
  const auto groups = inbox_files(context.workspace.inbox());
  const auto settings = round_settings(context);
  auto paths = round_paths(context);
  paths.gold = gold_files(context.workspace);
  Manifest manifest("ingest");
  std::size_t n = 0;
  for (const auto& file : paths.gold) manifest.add_input("gold/" + std::to_string(++n), file);
  for (const auto& [format, files] : groups)
    for (const auto& file : files) manifest.add_input("inbox/" + file.filename().string(), file);

  nlohmann::json record = {{"round", context.round}, {"batches", nlohmann::json::array()}};
  std::size_t answers = 0, added = 0, changed = 0;
  for (const auto& [format, files] : groups) {
    const auto request = ingest_request(settings, context.round, paths, format, files);
    const auto report = ingest::run_ingest(request);
    std::cout << ingest::format_report(report, request.ledger);
    answers += report.answers;
    added += report.ledger.added;
    changed += report.ledger.changed;
    nlohmann::json names = nlohmann::json::array();
    for (const auto& file : files) names.push_back(file.filename().string());
    record["batches"].push_back({{"format", ingest::format_name(format)},
                                 {"files", names},
                                 {"answers", report.answers},
                                 {"items", report.items},
                                 {"added", report.ledger.added},
                                 {"changed", report.ledger.changed},
                                 {"adjudicate", report.ledger.adjudicate},
                                 {"fleiss_kappa", report.fleiss_kappa}});
  }
  // The ledger records each file's sha256, so a file moved twice or ingested again is a no-op.
  if (!groups.empty()) fs::create_directories(context.dir / "ingested");
  for (const auto& [format, files] : groups)
    for (const auto& file : files) fs::rename(file, context.dir / "ingested" / file.filename());

  write_file_atomically(output, record.dump(2) + "\n");
  manifest.set_setting("consensus", settings.consensus);
  manifest.set_setting("min_confidence", settings.min_confidence);
  manifest.add_output("ingest", output);
  if (fs::exists(paths.ledger)) manifest.add_output("labels", paths.ledger);
  manifest.publish_for(output);
  std::size_t file_count = 0;
  for (const auto& [format, files] : groups) file_count += files.size();
  std::cout << fmt::format("round {} ingest: {} file(s), {} answers, {} labels added, {} changed\n",
                           round_name(context.round), file_count, answers, added, changed);
}

}  // namespace quarry::pipeline

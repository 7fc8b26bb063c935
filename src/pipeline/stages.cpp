#include "pipeline/stages.hpp"

#include "comm/session.hpp"
#include "files/manifest/manifest.hpp"

namespace quarry::pipeline {

RoundSettings round_settings(const RoundContext& context) {
  auto settings = round_settings(context.config);
  if (context.seed_round()) {
    settings.strategy = settings.seed_strategy;
    settings.k = context.seed_labels;
  }
  return settings;
}

RoundPaths round_paths(const RoundContext& context) {
  RoundPaths paths;
  paths.ledger = context.workspace.ledger();
  paths.model = stage_output(context.dir, Stage::train);
  paths.scores = stage_output(context.dir, Stage::score);
  paths.selection = stage_output(context.dir, Stage::select);
  return paths;
}

void run_stage(const comm::Communicator& world, const RoundContext& context, Stage stage) {
  switch (stage) {
    case Stage::ingest:
      comm::on_root_for_all(world, [&] { ingest_stage(context); });
      return;
    case Stage::train:
      train_stage(world, context);
      return;
    case Stage::score:
      score_stage(world, context);
      return;
    case Stage::select:
      select_stage(world, context);
      return;
    case Stage::exporting:
      comm::on_root_for_all(world, [&] { export_stage(context); });
      return;
  }
}

void remove_unfinished_output(const std::filesystem::path& output) {
  if (!read_complete_manifest(output).is_null()) return;
  retract_manifest(output);
  std::filesystem::remove_all(output);
}

}  // namespace quarry::pipeline

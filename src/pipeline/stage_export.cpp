// Stage 5: write the batch for the annotation tools, with the model's predictions as
// pre-labels; items the ledger could not resolve go first.
#include <fmt/format.h>

#include <iostream>

#include "export/export_run.hpp"
#include "pipeline/stages.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

void export_stage(const RoundContext& context) {
  const auto out = stage_output(context.dir, Stage::exporting);
  require_complete(stage_output(context.dir, Stage::select), "select");
  require_complete(stage_output(context.dir, Stage::score), "score");
  exporting::ExportRequest request;
  request.inputs = export_inputs(round_settings(context), context.round, round_paths(context));
  // Gold items come from the ledger; the next ingest scores the annotators against them.
  if (!request.inputs.labels.empty()) request.inputs.gold_rate = context.config.real("gold-rate");
  request.inputs.annotators = context.config.list("annotators");
  request.inputs.annotators_per_item = std::uint32_t(context.config.integer("annotators-per-item"));
  request.formats = exporting::parse_formats(context.config.text("formats"));
  // Image URLs name the round's folder from the workspace, so one Label Studio server (document
  // root: the workspace) and one bucket serve every round.
  const std::string folder = fs::relative(out, context.workspace.root()).generic_string() + "/";
  request.label_studio_prefix = context.config.text("label-studio-prefix") + folder;
  request.sagemaker_prefix = context.config.text("sagemaker-prefix") + folder;
  request.out = out;
  // A folder left by a crash before its manifest was written is replaced.
  request.force = fs::exists(out);
  const auto summary = exporting::run_export(request);
  std::cout << fmt::format("round {} export: {} tasks ({} adjudication) in {} -> {}\n",
                           round_name(context.round), summary.tasks, summary.adjudication,
                           context.config.text("formats"), out.string());
}

}  // namespace quarry::pipeline

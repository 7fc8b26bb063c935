// Stage 2: the round's model. With labels on the ledger, the previous round's model is trained
// further on all of them (data-parallel over the ranks); without any (the seed round, or a
// workspace whose first answers have not come back) the model is a fresh `model init`.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "comm/session.hpp"
#include "files/ledger/ledger.hpp"
#include "files/manifest/manifest.hpp"
#include "model/builtin.hpp"
#include "pipeline/label_audit.hpp"
#include "pipeline/stages.hpp"
#include "pipeline/status.hpp"
#include "train/trainer.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {

// The newest earlier round's finished model: where training continues from.
std::optional<fs::path> previous_model(const RoundContext& context) {
  const auto rounds = context.workspace.round_numbers();
  for (auto it = rounds.rbegin(); it != rounds.rend(); ++it) {
    if (*it >= context.round) continue;
    const auto model = stage_output(context.workspace.round_dir(*it), Stage::train);
    if (!read_complete_manifest(model).is_null()) return model;
  }
  return std::nullopt;
}

// Rank 0: a seeded fresh model as the round's model, with the manifest that marks it done.
void initialise_model(const RoundContext& context, const fs::path& out, const char* reason) {
  const auto spec = fresh_model_spec(round_settings(context));
  Manifest manifest("train");
  manifest.add_input("pool", context.config.text("pool"));
  model::write_builtin_model(spec, out, Overwrite::replace);
  manifest.set_setting("trained", false);
  manifest.set_setting("reason", reason);
  manifest.set_setting("arch", spec.arch);
  manifest.set_setting("seed", spec.seed);
  manifest.add_output("model", out);
  manifest.publish_for(out);
  std::cout << fmt::format("round {} train: {}: fresh {} model (seed {}) -> {}\n",
                           round_name(context.round), reason, spec.arch, spec.seed, out.string());
}

// Rank 0: what training starts from, the newest earlier round's model or (no earlier model, or
// no warm starts) a fresh one written beside the round's outputs.
void choose_start(const RoundContext& context, const RoundSettings& settings, RoundPaths& paths) {
  const auto previous = previous_model(context);
  paths.fresh_model = trains_fresh(settings, previous.has_value());
  if (!paths.fresh_model) {
    paths.model_in = *previous;
    // The seed round's model is a fresh seeded one that never trained: the first training gets a
    // fresh model's examples budget (train.images).
    paths.fresh_model = read_complete_manifest(*previous)
                            .value("settings", nlohmann::json::object())
                            .value("trained", true) == false;
    return;
  }
  paths.model_in = context.dir / "model.init.pt";
  model::write_builtin_model(fresh_model_spec(settings), paths.model_in, Overwrite::replace);
}

// Confident learning on the ledger, before the round's own training (its fold models start
// fresh, so the audit does not depend on this round's model): rounds/NNNN/flags.csv, written
// once per round.
void audit_stage_labels(const comm::Communicator& world, const RoundContext& context,
                        const RoundSettings& settings, const RoundPaths& paths) {
  const auto flags = context.dir / "flags.csv";
  if (settings.audit_folds < 2 || world.broadcast<std::int32_t>(fs::exists(flags), 0)) return;
  const auto result =
      audit_labels(world, settings, context.round, paths.ledger, context.dir / "audit");
  comm::on_root_for_all(world, [&] {
    write_flags_csv(flags, result);
    std::cout << fmt::format("round {} audit: {} of {} labels flagged ({}-fold) -> {}\n",
                             round_name(context.round), result.flagged.size(), result.audited,
                             settings.audit_folds, flags.string());
  });
}

}  // namespace

void train_stage(const comm::Communicator& world, const RoundContext& context) {
  const auto settings = round_settings(context);
  auto paths = round_paths(context);
  std::uint64_t labels = 0;
  comm::on_root_for_all(world, [&] {
    if (!context.seed_round()) require_complete(stage_output(context.dir, Stage::ingest), "ingest");
    remove_unfinished_output(paths.model);
    labels = ingest::read_ledger(paths.ledger).size();
    if (labels == 0)
      initialise_model(context, paths.model,
                       context.seed_round() ? "seed round" : "no labels on the ledger yet");
    else
      choose_start(context, settings, paths);
  });
  labels = world.broadcast(labels, 0);
  if (labels == 0) return;
  paths.model_in = world.broadcast(paths.model_in.string(), 0);
  paths.fresh_model = world.broadcast(std::int32_t(paths.fresh_model), 0) != 0;

  audit_stage_labels(world, context, settings, paths);
  const auto options = train_options(settings, context.round, paths, labels);
  const auto summary = train::train_model(world, options);
  if (world.is_root()) {
    std::cout << fmt::format(
        "round {} train: {} labels, {} epoch(s) ({} resumed) from {}, loss {:.4f}, {:.0f} "
        "images/s",
        round_name(context.round), summary.labeled, summary.epochs_run, summary.epochs_resumed,
        paths.model_in.filename().string(), summary.final_loss, summary.images_per_second);
    if (summary.evaluated)
      std::cout << ", eval "
                << eval_line(summary.detection.items > 0
                                 ? train::detection_eval_json(summary.detection)
                                 : nlohmann::json{{"items", summary.eval.items},
                                                  {"accuracy", summary.eval.accuracy}});
    std::cout << "\n";
  }
}

}  // namespace quarry::pipeline

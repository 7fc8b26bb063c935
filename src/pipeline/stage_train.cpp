// Stage 2: the round's model. With labels on the ledger, the previous round's model is trained
// further on all of them (data-parallel over the ranks); without any (the seed round, or a
// workspace whose first answers have not come back) the model is a fresh `model init`.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "comm/session.hpp"
#include "core/error.hpp"
#include "core/seeded.hpp"
#include "files/ledger/ledger.hpp"
#include "files/manifest/manifest.hpp"
#include "model/builtin.hpp"
#include "pipeline/stages.hpp"
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

model::ModelSpec first_model_spec(const RoundContext& context) {
  return model::spec_for_pool(context.config.text("pool"), context.config.text("arch"),
                              std::uint64_t(context.config.integer("seed")));
}

// Rank 0: a seeded fresh model as the round's model, with the manifest that marks it done.
void initialise_model(const RoundContext& context, const fs::path& out, const char* reason) {
  const auto spec = first_model_spec(context);
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

}  // namespace

void train_stage(const comm::Communicator& world, const RoundContext& context) {
  const auto out = stage_output(context.dir, Stage::train);
  std::uint64_t labels = 0;
  std::string base;
  comm::on_root_for_all(world, [&] {
    if (!context.seed_round()) require_complete(stage_output(context.dir, Stage::ingest), "ingest");
    remove_unfinished_output(out);
    labels = ingest::read_ledger(context.workspace.ledger()).size();
    if (labels == 0) {
      initialise_model(context, out,
                       context.seed_round() ? "seed round" : "no labels on the ledger yet");
      return;
    }
    if (auto previous = previous_model(context)) {
      base = previous->string();
    } else {
      // Labels but no earlier model (a workspace started without a seed round).
      base = (context.dir / "model.init.pt").string();
      model::write_builtin_model(first_model_spec(context), base, Overwrite::replace);
    }
  });
  labels = world.broadcast(labels, 0);
  if (labels == 0) return;
  base = world.broadcast(base, 0);

  train::TrainOptions options;
  options.pool = context.config.text("pool");
  options.labels = context.workspace.ledger();
  options.model = base;
  options.out = out;
  if (!context.config.text("eval-pool").empty())
    options.eval_pool = context.config.text("eval-pool");
  options.epochs = int(context.config.integer("train.epochs"));
  options.batch = context.config.integer("train.batch");
  options.lr = context.config.real("train.lr");
  options.seed = derive_seed(std::uint64_t(context.config.integer("seed")), Purpose::training,
                             std::uint64_t(context.round));
  options.threads = int(context.config.integer("train.threads"));
  options.resume = true;  // continues an interrupted run's checkpoint, starts fresh otherwise
  const auto summary = train::train_model(world, options);
  if (world.is_root()) {
    std::cout << fmt::format(
        "round {} train: {} labels, {} epoch(s) ({} resumed) from {}, loss {:.4f}, {:.0f} "
        "images/s",
        round_name(context.round), summary.labeled, summary.epochs_run, summary.epochs_resumed,
        fs::path(base).filename().string(), summary.final_loss, summary.images_per_second);
    if (summary.evaluated)
      std::cout << fmt::format(", eval accuracy {:.4f} on {} items", summary.eval.accuracy,
                               summary.eval.items);
    std::cout << "\n";
  }
}

}  // namespace quarry::pipeline

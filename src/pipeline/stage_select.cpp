// Stage 4: choose the batch. Labeled items (the ledger) and items already sent out in earlier
// rounds (their selection files: pending answers) are excluded. The seed round picks at random.
#include <fmt/format.h>

#include <iostream>

#include "comm/session.hpp"
#include "core/seeded.hpp"
#include "files/manifest/manifest.hpp"
#include "pipeline/stages.hpp"
#include "select/select_batch.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

void select_stage(const comm::Communicator& world, const RoundContext& context) {
  const auto out = stage_output(context.dir, Stage::select);
  comm::on_root_for_all(world, [&] {
    require_complete(stage_output(context.dir, Stage::score), "score");
    remove_unfinished_output(out);
  });
  select::SelectOptions options;
  options.scores = stage_output(context.dir, Stage::score);
  options.out = out;
  options.seed = derive_seed(std::uint64_t(context.config.integer("seed")), Purpose::selection,
                             std::uint64_t(context.round));
  options.acquisition = context.config.text("acquisition");
  options.candidates = std::size_t(context.config.integer("select.candidates"));
  if (context.seed_round()) {
    options.strategy = select::Strategy::random;
    options.k = context.seed_labels;
  } else {
    options.strategy = select::parse_strategy(context.config.text("strategy"));
    options.k = std::size_t(context.config.integer("k"));
  }
  if (fs::exists(context.workspace.ledger())) options.labels = context.workspace.ledger();
  for (int round : context.workspace.round_numbers()) {
    const auto earlier = stage_output(context.workspace.round_dir(round), Stage::select);
    if (round < context.round && !read_complete_manifest(earlier).is_null())
      options.exclude.push_back(earlier);
  }
  const auto selection = select::run_select(world, options);
  if (world.is_root())
    std::cout << fmt::format("round {} select: {} items by {} ({} earlier batch(es) excluded)\n",
                             round_name(context.round), selection.ids.size(), selection.strategy,
                             options.exclude.size());
}

}  // namespace quarry::pipeline

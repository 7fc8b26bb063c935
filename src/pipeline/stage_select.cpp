// Stage 4: choose the batch. Labeled items (the ledger) and items already sent out in earlier
// rounds (their selection files: pending answers) are excluded. The seed round picks by
// seed-strategy.
#include <fmt/format.h>

#include <iostream>

#include "comm/session.hpp"
#include "files/manifest/manifest.hpp"
#include "pipeline/stages.hpp"
#include "select/strategies/cluster_margin.hpp"

namespace quarry::pipeline {

void select_stage(const comm::Communicator& world, const RoundContext& context) {
  const auto out = stage_output(context.dir, Stage::select);
  comm::on_root_for_all(world, [&] {
    require_complete(stage_output(context.dir, Stage::score), "score");
    remove_unfinished_output(out);
  });
  auto paths = round_paths(context);
  std::optional<std::filesystem::path> warm_clusters;
  for (int round : context.workspace.round_numbers()) {
    const auto earlier = stage_output(context.workspace.round_dir(round), Stage::select);
    if (round < context.round && !read_complete_manifest(earlier).is_null())
      paths.exclude.push_back(earlier);
    // cluster-margin: the latest earlier round's clustering starts k-means warm.
    const auto clusters =
        select::cluster_cache_path(stage_output(context.workspace.round_dir(round), Stage::score));
    if (round < context.round && std::filesystem::exists(clusters)) warm_clusters = clusters;
  }
  auto options = select_options(round_settings(context), context.round, paths);
  options.warm_clusters = warm_clusters;
  const auto selection = select::run_select(world, options);
  if (world.is_root())
    std::cout << fmt::format("round {} select: {} items by {} ({} earlier batch(es) excluded)\n",
                             round_name(context.round), selection.ids.size(), selection.strategy,
                             options.exclude.size());
}

}  // namespace quarry::pipeline

// Stage 3: score the whole pool with the round's model (collective, resumable per work unit).
#include <fmt/format.h>

#include <iostream>

#include "comm/session.hpp"
#include "pipeline/stages.hpp"

namespace quarry::pipeline {

void score_stage(const comm::Communicator& world, const RoundContext& context) {
  const auto out = stage_output(context.dir, Stage::score);
  comm::on_root_for_all(world, [&] {
    require_complete(stage_output(context.dir, Stage::train), "train");
    remove_unfinished_output(out);
  });
  const auto options = score_options(round_settings(context), round_paths(context));
  const auto summary = score::score_pool(world, options);
  if (world.is_root())
    std::cout << fmt::format(
        "round {} score: {} items ({} of {} units resumed) on {} rank(s), {:.2f} s\n",
        round_name(context.round), summary.items, summary.units_resumed, summary.units,
        world.size(), summary.total_seconds);
}

}  // namespace quarry::pipeline

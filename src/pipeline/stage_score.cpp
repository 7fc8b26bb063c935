// Stage 3: score the whole pool with the round's model (collective, resumable per work unit),
// then record the stopping criterion's kappa against the newest earlier scored round.
#include <fmt/format.h>

#include <iostream>

#include "comm/session.hpp"
#include "files/manifest/manifest.hpp"
#include "pipeline/stages.hpp"
#include "pipeline/status.hpp"
#include "stopping/stop_record.hpp"
#include "stopping/stop_set.hpp"

namespace quarry::pipeline {

namespace {

// Rank 0: rounds/NNNN/stop.json, when the criterion is on and an earlier round has scores.
void record_stopping(const RoundContext& context, const stopping::StopSettings& stop,
                     std::uint64_t seed) {
  if (!stop.enabled()) return;
  int previous = -1;
  for (int round : context.workspace.round_numbers())
    if (round < context.round &&
        !read_complete_manifest(stage_output(context.workspace.round_dir(round), Stage::score))
             .is_null())
      previous = round;
  if (previous < 0) return;
  const double kappa =
      stopping::successive_kappa(stage_output(context.workspace.round_dir(previous), Stage::score),
                                 stage_output(context.dir, Stage::score), stop.set_size, seed);
  stopping::write_stop_record(context.dir, context.round, previous, kappa, stop);
  std::cout << fmt::format("round {} stop set: kappa {:.4f} against round {}; {}\n",
                           round_name(context.round), kappa, round_name(previous),
                           stopping_line(context.workspace).value_or(""));
}

}  // namespace

void score_stage(const comm::Communicator& world, const RoundContext& context) {
  const auto out = stage_output(context.dir, Stage::score);
  comm::on_root_for_all(world, [&] {
    require_complete(stage_output(context.dir, Stage::train), "train");
    remove_unfinished_output(out);
  });
  const auto settings = round_settings(context);
  const auto options = score_options(settings, round_paths(context));
  const auto summary = score::score_pool(world, options);
  if (world.is_root())
    std::cout << fmt::format(
        "round {} score: {} items ({} of {} units resumed) on {} rank(s), {:.2f} s\n",
        round_name(context.round), summary.items, summary.units_resumed, summary.units,
        world.size(), summary.total_seconds);
  comm::on_root_for_all(world, [&] { record_stopping(context, settings.stop, settings.seed); });
}

}  // namespace quarry::pipeline

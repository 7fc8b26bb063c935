#include "pipeline/cycle.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "comm/session.hpp"
#include "core/error.hpp"
#include "core/path_error.hpp"
#include "pipeline/stages.hpp"
#include "pipeline/workspace_lock.hpp"
#include "report/round_report.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

CycleResult run_round(const comm::Communicator& world, const Workspace& workspace, int round,
                      const std::optional<Stage>& only) {
  CycleResult result;
  result.round = round;
  std::optional<RoundContext> context;
  // Every rank reads the settings itself (they are small); a bad file fails on every rank alike.
  comm::agree_on_errors(world, [&] { context = make_round_context(workspace, round); });
  comm::on_root_for_all(world, [&] {
    fs::create_directories(context->dir);
    // Every stage writes into the round folder, ingest also the ledger beside it: refused by
    // name here rather than by HDF5 or LibTorch inside a stage.
    require_writable_folder(context->dir);
    require_writable_parent(workspace.ledger());
  });

  for (Stage stage : all_stages()) {
    if (only && *only != stage) continue;
    const bool done = world.broadcast<std::int32_t>(
                          world.is_root() && stage_done(context->dir, stage) ? 1 : 0, 0) != 0;
    if (done) {
      if (world.is_root())
        std::cout << fmt::format("round {} {}: already done\n", round_name(round),
                                 stage_name(stage));
      result.skipped.push_back(stage);
      continue;
    }
    const auto started = std::chrono::steady_clock::now();
    run_stage(world, *context, stage);
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
    comm::on_root_for_all(world, [&] {
      write_round_manifest(workspace, round, {{stage_name(stage), seconds.count()}});
    });
    result.ran.push_back(stage);
  }
  comm::on_root_for_all(world, [&] {
    write_round_manifest(workspace, round);
    result.complete = round_complete(context->dir);
    // Each finished round gets its HTML report (DESIGN.md: rounds/NNNN/report.html).
    if (result.complete)
      report::write_round_report(workspace.root(), round, context->dir / "report.html");
  });
  result.complete = world.broadcast<std::int32_t>(result.complete ? 1 : 0, 0) != 0;
  return result;
}

CycleResult run_cycle(const comm::Communicator& world, const CycleOptions& options) {
  std::unique_ptr<WorkspaceLock> lock;  // rank 0 holds it for the whole run
  int round = 0;
  std::optional<Workspace> workspace;
  comm::on_root_for_all(world, [&] {
    workspace = Workspace::open(options.workspace);
    check_settings(workspace->config());  // a bad setting stops the run before anything changes
    lock = std::make_unique<WorkspaceLock>(
        workspace->lock_file(),
        options.only ? "quarry cycle --stage " + stage_name(*options.only) : "quarry cycle");
    round = options.round ? *options.round : current_round(*workspace);
    if (options.round && !fs::is_directory(workspace->round_dir(round)) && options.only &&
        *options.only != Stage::ingest)
      throw InputError(workspace->round_dir(round).string(), "folder", "does not exist",
                       "the round's earlier stages have not run");
  });
  if (!workspace) workspace.emplace(options.workspace);
  round = world.broadcast(round, 0);
  auto result = run_round(world, *workspace, round, options.only);
  if (world.is_root()) {
    if (result.complete)
      std::cout << fmt::format(
          "round {} complete: export in {}\n", round_name(round),
          stage_output(workspace->round_dir(round), Stage::exporting).string());
    else if (!options.only)
      std::cout << fmt::format("round {} not complete\n", round_name(round));
  }
  return result;
}

}  // namespace quarry::pipeline

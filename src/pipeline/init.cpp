#include "pipeline/init.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "comm/session.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "files/ledger/ledger.hpp"
#include "files/pool/schema.hpp"
#include "pipeline/cycle.hpp"
#include "pipeline/round_context.hpp"
#include "pipeline/task_defaults.hpp"
#include "pipeline/workspace_lock.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {

WorkspaceConfig resolve_settings(const InitOptions& options, const pool::PoolMeta& pool) {
  // The pool's task picks the defaults (a detector for objects); a template or option still wins.
  auto config = default_config(pool.task.kind);
  if (options.settings) config.merge_file(*options.settings);
  for (const auto& [key, value] : options.values)
    config.set(key, value, "command line", fmt::format("{}={}", key, value));
  for (const auto& assignment : options.assignments) config.set_assignment(assignment);
  config.set("pool", fs::absolute(options.pool).lexically_normal().string(), "command line",
             "--pool");
  config.set("classes", fmt::format("{}", fmt::join(pool.classes, ",")), "pool",
             options.pool.string());
  config.set("task", pool::task_name(pool.task.kind), "pool", options.pool.string());
  if (const auto& eval = config.text("eval-pool"); !eval.empty()) {
    const auto eval_meta = pool::PoolFile::open(eval).meta();
    if (eval_meta.classes != pool.classes)
      throw InputError(eval, "classes", "differ from the pool's",
                       "the evaluation pool must have the pool's classes");
    if (eval_meta.task.kind != pool.task.kind ||
        (pool.task.kind != pool::Task::classify && !eval_meta.task.has_objects))
      throw InputError(eval, "task",
                       fmt::format("a {} pool{}; the pool to label is a {} pool",
                                   pool::task_name(eval_meta.task.kind),
                                   eval_meta.task.has_objects ? "" : " without objects",
                                   pool::task_name(pool.task.kind)),
                       "a detector is evaluated on a pool of the same task with its objects");
    config.set("eval-pool", fs::absolute(eval).lexically_normal().string(), "command line",
               "--eval-pool");
  }
  check_settings(config);  // a bad value is refused before the workspace exists
  if (config.text("arch") == "small-cnn" && pool.shape.kind != pool::Kind::images)
    throw InputError(options.pool.string(), "arch",
                     "small-cnn needs an image pool; this one holds features", "use --arch mlp");
  return config;
}

template <class Write>
void publish_file(const fs::path& path, Write write) {
  AtomicOutput out(path, Overwrite::refuse);
  write(out.temp_path());
  out.commit();
}

}  // namespace

void init_workspace(const comm::Communicator& world, const InitOptions& options) {
  Workspace workspace(options.workspace);
  std::unique_ptr<WorkspaceLock> lock;
  comm::on_root_for_all(world, [&] {
    if (fs::exists(workspace.settings_file()))
      throw UsageError(fmt::format("{} is already a quarry workspace", options.workspace.string()),
                       "use quarry cycle to run its next round, or choose a new folder");
    if (fs::exists(workspace.root()) && !fs::is_empty(workspace.root()))
      throw UsageError(fmt::format("{} exists and is not empty", options.workspace.string()),
                       "quarry init creates a new folder (or fills an empty one)");
    const auto meta = pool::PoolFile::open(options.pool).meta();
    const auto config = resolve_settings(options, meta);
    if (options.seed_labels > meta.count)
      throw UsageError(fmt::format("--seed-labels {} is more than the pool's {} items",
                                   options.seed_labels, meta.count));

    fs::create_directories(workspace.root());
    lock = std::make_unique<WorkspaceLock>(workspace.lock_file(), "quarry init");
    for (const auto& dir : {workspace.inbox(), workspace.rounds(), workspace.logs()})
      fs::create_directories(dir);
    ingest::Ledger empty;
    empty.classes = meta.classes;
    publish_file(workspace.ledger(),
                 [&](const fs::path& temp) { ingest::write_ledger(temp, empty); });
    if (options.seed_labels > 0) {
      fs::create_directories(workspace.round_dir(0));
      write_seed_record(workspace.round_dir(0), options.seed_labels);
    }
    // quarry.ini last: a folder without it is not a workspace, so a failed init leaves none.
    publish_file(workspace.settings_file(), [&](const fs::path& temp) {
      std::ofstream out(temp);
      out << config.render();
      if (!out) throw Error("cannot write " + temp.string());
    });
    std::cout << fmt::format(
        "workspace {}: pool {} ({} items, {} classes, task {}), arch {}, k {}, strategy {}\n",
        workspace.root().string(), config.text("pool"), meta.count, meta.classes.size(),
        config.text("task"), config.text("arch"), config.text("k"), config.text("strategy"));
  });
  if (options.seed_labels == 0) return;
  const auto result = run_round(world, workspace, 0, std::nullopt);
  if (world.is_root() && result.complete)
    std::cout << fmt::format(
        "seed round 0000: {} items picked by {}, export in {}\n"
        "label them, put the annotation export into {}, then run quarry cycle {}\n",
        options.seed_labels, workspace.config().text("seed-strategy"),
        stage_output(workspace.round_dir(0), Stage::exporting).string(), workspace.inbox().string(),
        workspace.root().string());
}

}  // namespace quarry::pipeline

// The task's defaults for simulate's options: the workspace's (pipeline/task_defaults.hpp), so a
// simulation of a detection pool trains, scores and selects as a detection workspace does.
#include <algorithm>

#include "files/pool/schema.hpp"
#include "pipeline/task_defaults.hpp"
#include "simulate/options.hpp"

namespace quarry::simulate {

pool::Task pool_task(const std::filesystem::path& path) {
  try {
    return pool::PoolFile::open(path).meta().task.kind;
  } catch (const std::exception&) {
    return pool::Task::classify;
  }
}

void apply_task_defaults(SimulateOptions& o, pool::Task task,
                         const std::vector<std::string>& given) {
  o.task = task;
  if (task == pool::Task::classify) return;
  const auto config = pipeline::default_config(task);
  const auto unset = [&](const char* option) {
    return std::find(given.begin(), given.end(), option) == given.end();
  };
  if (unset("arch")) o.arch = config.text("arch");
  if (unset("acquisition")) o.acquisition = config.text("acquisition");
  if (unset("train-batch")) o.train_batch = config.integer("train.batch");
  if (unset("lr")) o.lr = config.real("train.lr");
  if (unset("epochs")) o.epochs = int(config.integer("train.epochs"));
  o.score_batch = std::uint64_t(config.integer("score.batch"));
}

}  // namespace quarry::simulate

#include "pipeline/sbatch_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "pipeline/run_program.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

std::int64_t score_nodes(const WorkspaceConfig& config, std::uint64_t pool_items) {
  const auto per_node = std::max<std::int64_t>(1, config.integer("slurm.score.items-per-node"));
  const auto max_nodes = std::max<std::int64_t>(1, config.integer("slurm.score.max-nodes"));
  const auto wanted =
      std::int64_t((pool_items + std::uint64_t(per_node) - 1) / std::uint64_t(per_node));
  return std::clamp<std::int64_t>(wanted, 1, max_nodes);
}

std::vector<std::string> resource_options(const WorkspaceConfig& config, Stage stage,
                                          std::uint64_t pool_items) {
  const std::string s = "slurm." + stage_name(stage) + ".";
  const auto nodes = stage == Stage::score ? score_nodes(config, pool_items)
                                           : std::max<std::int64_t>(1, config.integer(s + "nodes"));
  std::vector<std::string> options = {
      fmt::format("--nodes={}", nodes),
      fmt::format("--ntasks-per-node={}",
                  std::max<std::int64_t>(1, config.integer(s + "ntasks-per-node"))),
      fmt::format("--cpus-per-task={}",
                  std::max<std::int64_t>(1, config.integer(s + "cpus-per-task")))};
  if (const auto gpus = config.integer(s + "gpus-per-task"); gpus > 0)
    options.push_back(fmt::format("--gpus-per-task={}", gpus));
  if (const auto& time = config.text(s + "time"); !time.empty())
    options.push_back("--time=" + time);
  if (const auto& mem = config.text(s + "mem"); !mem.empty()) options.push_back("--mem=" + mem);
  const auto& partition = config.text(s + "partition").empty() ? config.text("slurm.partition")
                                                               : config.text(s + "partition");
  if (!partition.empty()) options.push_back("--partition=" + partition);
  if (const auto& account = config.text("slurm.account"); !account.empty())
    options.push_back("--account=" + account);
  return options;
}

std::vector<std::string> dependency_options(const std::string& previous_job) {
  return {"--dependency=afterok:" + previous_job, "--kill-on-invalid-dep=yes"};
}

namespace {
void check_exportable(const std::string& what, const std::string& value) {
  // sbatch --export separates variables with commas.
  if (value.find(',') != std::string::npos)
    throw UsageError(
        fmt::format("{} '{}' contains a comma, which sbatch --export cannot pass", what, value),
        "move it to a path without commas");
}
}  // namespace

std::vector<StageJob> plan_round_jobs(const Workspace& workspace, const WorkspaceConfig& config,
                                      int round, const std::vector<Stage>& stages,
                                      const SubmitSetup& setup) {
  check_exportable("the workspace", workspace.root().string());
  check_exportable("QUARRY_HOME", setup.home.string());
  check_exportable("the quarry binary", setup.quarry_binary.string());
  std::vector<StageJob> jobs;
  for (Stage stage : stages) {
    StageJob job{stage, {"sbatch", "--parsable"}, !jobs.empty()};
    job.argv.push_back(
        fmt::format("--job-name=quarry-{}-{}", stage_name(stage), round_name(round)));
    job.argv.push_back("--chdir=" + workspace.root().string());
    for (auto& option : resource_options(config, stage, setup.pool_items))
      job.argv.push_back(std::move(option));
    job.argv.push_back(
        fmt::format("--export=ALL,QUARRY_HOME={},QUARRY_BIN={},QUARRY_WORKSPACE={},QUARRY_ROUND={},"
                    "QUARRY_MPI_IO={}",
                    setup.home.string(), setup.quarry_binary.string(), workspace.root().string(),
                    round, config.text("slurm.mpi-io")));
    std::istringstream extra(config.text("slurm.extra"));
    for (std::string word; extra >> word;) job.argv.push_back(word);
    job.argv.push_back((setup.home / "slurm" / (stage_name(stage) + ".sbatch")).string());
    jobs.push_back(std::move(job));
  }
  return jobs;
}

std::string render_plan(const std::vector<StageJob>& jobs) {
  std::string script;
  std::string previous;
  for (const auto& job : jobs) {
    auto argv = job.argv;
    std::string line = shell_join({argv.begin(), argv.begin() + 2});
    if (job.depends)
      line += fmt::format(" --dependency=afterok:${}_job --kill-on-invalid-dep=yes", previous);
    line += " " + shell_join({argv.begin() + 2, argv.end()});
    const auto name = stage_name(job.stage);
    script += fmt::format("{}_job=$({})\n", name, line);
    previous = name;
  }
  return script;
}

fs::path find_quarry_home(const fs::path& quarry_binary) {
  auto holds_templates = [](const fs::path& dir) {
    return fs::is_regular_file(dir / "slurm" / "score.sbatch") &&
           fs::is_regular_file(dir / "jobs" / "launch");
  };
  if (const char* home = std::getenv("QUARRY_HOME")) {
    if (!holds_templates(home))
      throw InputError(home, "QUARRY_HOME", "holds no slurm/score.sbatch and jobs/launch",
                       "point QUARRY_HOME at the quarry source tree or its share folder");
    return fs::absolute(home).lexically_normal();
  }
  const auto bin = fs::absolute(quarry_binary).parent_path();
  for (const auto& candidate :
       {bin.parent_path().parent_path(), bin.parent_path() / "share" / "quarry"})
    if (holds_templates(candidate)) return candidate.lexically_normal();
  throw InputError(quarry_binary.string(), "templates",
                   "cannot find the Slurm templates (slurm/) and stage scripts (jobs/)",
                   "set QUARRY_HOME to the quarry source tree");
}

}  // namespace quarry::pipeline

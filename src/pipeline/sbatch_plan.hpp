#pragma once
// The sbatch commands of one round on Slurm: one job per stage still to do, each depending on
// the previous one (afterok, and killed when that one fails), resources per stage from
// quarry.ini, the stage's template in slurm/ (which runs the stage script in jobs/).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/round.hpp"

namespace quarry::pipeline {

struct SubmitSetup {
  std::filesystem::path home;  // holds slurm/ and jobs/
  std::filesystem::path quarry_binary;
  std::uint64_t pool_items = 0;  // sizes the scoring job
};

struct StageJob {
  Stage stage;
  // The sbatch command, without the dependency (it names the previous job's id, known only
  // once that one is submitted); `depends` says whether it takes one.
  std::vector<std::string> argv;
  bool depends = false;
};

// Nodes for scoring: one per slurm.score.items-per-node pool items, within [1, max-nodes].
std::int64_t score_nodes(const WorkspaceConfig& config, std::uint64_t pool_items);

// The resource options of a stage's job (--nodes, --ntasks-per-node, --cpus-per-task,
// --gpus-per-task when > 0, --time, --mem, --partition, --account).
std::vector<std::string> resource_options(const WorkspaceConfig& config, Stage stage,
                                          std::uint64_t pool_items);

std::vector<StageJob> plan_round_jobs(const Workspace& workspace, const WorkspaceConfig& config,
                                      int round, const std::vector<Stage>& stages,
                                      const SubmitSetup& setup);

// The dependency options for a job after `previous_job` (an id, or a shell variable).
std::vector<std::string> dependency_options(const std::string& previous_job);

// The plan as a shell script a person could run (what --dry-run prints).
std::string render_plan(const std::vector<StageJob>& jobs);

// Where slurm/ and jobs/ are: $QUARRY_HOME, else the source tree the binary was built in
// (BINARY/../..), else BINARY/../share/quarry. InputError when none holds them.
std::filesystem::path find_quarry_home(const std::filesystem::path& quarry_binary);

}  // namespace quarry::pipeline

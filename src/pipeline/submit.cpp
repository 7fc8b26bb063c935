#include "pipeline/submit.hpp"

#include <fmt/format.h>

#include <ctime>

#include "core/error.hpp"
#include "files/pool/schema.hpp"
#include "pipeline/round.hpp"
#include "pipeline/run_program.hpp"
#include "pipeline/sbatch_plan.hpp"
#include "pipeline/workspace_lock.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char text[32] = {};
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

// Refuses a second chain for a round whose first is still queued or running.
void refuse_queued_round(const fs::path& round_dir, int round) {
  const auto records = read_job_records(round_dir);
  std::vector<std::string> ids;
  for (const auto& record : records) ids.push_back(record.job_id);
  const auto states = query_job_states(ids);
  for (const auto& record : records) {
    const auto state = states.find(record.job_id);
    if (state != states.end() && job_state_is_active(state->second))
      throw Error(fmt::format("round {} already has jobs in the queue: {} is job {} ({})",
                              round_name(round), record.stage, record.job_id, state->second),
                  "wait for them (quarry status), or scancel them before submitting again");
  }
}

// sbatch --parsable prints "id" or "id;cluster".
std::string parse_job_id(const std::string& out) {
  auto id = out.substr(0, out.find_first_of(";\n"));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw Error(fmt::format("sbatch printed '{}', not a job id", out));
  return id;
}

void cancel(const std::vector<JobRecord>& jobs) {
  for (const auto& job : jobs) run_program({"scancel", job.job_id});
}

}  // namespace

SubmitResult submit_round(const SubmitOptions& options) {
  const auto workspace = Workspace::open(options.workspace);
  const auto config = workspace.config();
  check_settings(config);  // a dry run shows what would fail, and no job is queued to fail later
  // A cycle running here now would race the jobs: refuse, as a second cycle would be refused.
  { WorkspaceLock probe(workspace.lock_file(), "quarry submit"); }

  SubmitResult result;
  result.round = current_round(workspace);
  const auto round_dir = workspace.round_dir(result.round);
  std::vector<Stage> stages;
  for (Stage stage : all_stages())
    if (!stage_done(round_dir, stage)) stages.push_back(stage);

  SubmitSetup setup;
  setup.quarry_binary = options.quarry_binary;
  setup.home = find_quarry_home(options.quarry_binary);
  setup.pool_items = pool::PoolFile::open(config.text("pool")).meta().count;
  const auto jobs = plan_round_jobs(workspace, config, result.round, stages, setup);
  result.plan = render_plan(jobs);
  if (options.dry_run) return result;

  if (!find_program("sbatch"))
    throw UsageError("Slurm is not available here: sbatch is not on PATH",
                     "run the round locally with quarry cycle, or submit from a login node "
                     "(--dry-run prints the sbatch commands)");
  refuse_queued_round(round_dir, result.round);
  fs::create_directories(round_dir);
  fs::create_directories(workspace.logs());  // sbatch does not create the log folder

  for (const auto& job : jobs) {
    auto argv = job.argv;
    if (job.depends) {
      const auto dependency = dependency_options(result.jobs.back().job_id);
      argv.insert(argv.begin() + 2, dependency.begin(), dependency.end());
    }
    const auto submitted = run_program(argv);
    if (submitted.exit_code != 0) {
      cancel(result.jobs);  // never leave half a chain queued
      auto message = submitted.err.empty() ? submitted.out : submitted.err;
      while (!message.empty() && message.back() == '\n') message.pop_back();
      throw UsageError(fmt::format("sbatch refused the {} job of round {}: {}",
                                   stage_name(job.stage), round_name(result.round), message),
                       "check that Slurm is running (sinfo) and the [slurm] settings in " +
                           workspace.settings_file().string());
    }
    result.jobs.push_back({stage_name(job.stage), parse_job_id(submitted.out), utc_now()});
  }
  // Earlier chains of the round stay on record (status shows each stage's newest job).
  auto records = read_job_records(round_dir);
  records.insert(records.end(), result.jobs.begin(), result.jobs.end());
  write_job_records(round_dir, records);
  return result;
}

}  // namespace quarry::pipeline

#pragma once
// `quarry submit`: the workspace's current round on Slurm, one job per stage still to do,
// chained with afterok dependencies (a failed stage cancels the rest). Stages run the same code
// as `quarry cycle`, one per job (`quarry cycle WORKSPACE --stage S --round N`), so a round
// submitted again after a failure resumes at the failed stage.
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/job_records.hpp"

namespace quarry::pipeline {

struct SubmitOptions {
  std::filesystem::path workspace;
  std::filesystem::path quarry_binary;  // what the jobs run
  bool dry_run = false;                 // print the sbatch commands, submit nothing
};

struct SubmitResult {
  int round = 0;
  std::string plan;             // the sbatch commands as a shell script
  std::vector<JobRecord> jobs;  // submitted (empty for a dry run)
};

// Serial. UsageError (exit 2) when Slurm is not here or sbatch refuses a job; Error when the
// round already has jobs in the queue or a cycle holds the workspace.
SubmitResult submit_round(const SubmitOptions& options);

}  // namespace quarry::pipeline

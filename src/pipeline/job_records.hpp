#pragma once
// rounds/NNNN/jobs.json: the Slurm job of each stage `quarry submit` queued, and the states
// Slurm reports for them (squeue while Slurm remembers the job, sacct where accounting runs).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "pipeline/round.hpp"

namespace quarry::pipeline {

struct JobRecord {
  std::string stage;
  std::string job_id;
  std::string submitted;  // UTC time
};

std::vector<JobRecord> read_job_records(const std::filesystem::path& round_dir);
void write_job_records(const std::filesystem::path& round_dir, const std::vector<JobRecord>& jobs);

// Job id -> state (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ...), for the ids Slurm still
// knows; ids it has forgotten are absent. Empty when Slurm's tools are not here.
std::map<std::string, std::string> query_job_states(const std::vector<std::string>& job_ids);

bool job_state_is_active(const std::string& state);  // pending, running, requeued, ...

}  // namespace quarry::pipeline

#include "pipeline/job_records.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "files/manifest/partial_run.hpp"
#include "pipeline/run_program.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {
fs::path records_file(const fs::path& round_dir) {
  return round_dir / "jobs.json";
}

// "123|RUNNING" lines (squeue -o '%i|%T', sacct -P -o JobID,State).
void parse_states(const std::string& text, std::map<std::string, std::string>& states) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto bar = line.find('|');
    if (bar == std::string::npos) continue;
    auto state = line.substr(bar + 1);
    state = state.substr(0, state.find(' '));  // sacct: "CANCELLED by 0"
    if (!state.empty()) states[line.substr(0, bar)] = state;
  }
}
}  // namespace

std::vector<JobRecord> read_job_records(const fs::path& round_dir) {
  std::vector<JobRecord> jobs;
  std::ifstream in(records_file(round_dir));
  if (!in) return jobs;
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.contains("jobs"))
    throw InputError(records_file(round_dir).string(), "jobs", "not a job record",
                     "remove it if no jobs of this round are queued");
  for (const auto& job : doc["jobs"])
    jobs.push_back({job.value("stage", ""), job.value("job_id", ""), job.value("submitted", "")});
  return jobs;
}

void write_job_records(const fs::path& round_dir, const std::vector<JobRecord>& jobs) {
  nlohmann::json doc = {{"jobs", nlohmann::json::array()}};
  for (const auto& job : jobs)
    doc["jobs"].push_back(
        {{"stage", job.stage}, {"job_id", job.job_id}, {"submitted", job.submitted}});
  write_file_atomically(records_file(round_dir), doc.dump(2) + "\n");
}

std::map<std::string, std::string> query_job_states(const std::vector<std::string>& job_ids) {
  std::map<std::string, std::string> states;
  if (job_ids.empty()) return states;
  if (find_program("squeue")) {
    // One query per job: squeue refuses a whole list when it has forgotten one of its ids.
    for (const auto& id : job_ids) {
      const auto result = run_program({"squeue", "-h", "-t", "all", "-j", id, "-o", "%i|%T"});
      if (result.exit_code == 0) parse_states(result.out, states);
    }
  }
  std::vector<std::string> missing;
  for (const auto& id : job_ids)
    if (!states.count(id)) missing.push_back(id);
  if (!missing.empty() && find_program("sacct")) {
    const auto result = run_program({"sacct", "-n", "-P", "-X", "-o", "JobID,State", "-j",
                                     fmt::format("{}", fmt::join(missing, ","))});
    if (result.exit_code == 0) parse_states(result.out, states);
  }
  return states;
}

bool job_state_is_active(const std::string& state) {
  for (const char* active :
       {"PENDING", "RUNNING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "CONFIGURING",
        "COMPLETING", "RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT"})
    if (state == active) return true;
  return false;
}

}  // namespace quarry::pipeline

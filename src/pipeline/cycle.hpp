#pragma once
// `quarry cycle`: the next round in one MPI job (any rank count): ingest -> train -> score ->
// select -> export, each stage writing its output and manifest into rounds/NNNN/. Stages whose
// manifest is complete are skipped, so a finished round is never redone and a failed one
// resumes at the failed stage; an exclusive workspace lock refuses a second run at once.
#include <filesystem>
#include <optional>

#include "comm/communicator.hpp"
#include "pipeline/round.hpp"

namespace quarry::pipeline {

struct CycleOptions {
  std::filesystem::path workspace;
  std::optional<Stage> only;  // one stage (the Slurm stage jobs); its inputs must be complete
  std::optional<int> round;   // default: current_round()
};

struct CycleResult {
  int round = 0;
  std::vector<Stage> ran, skipped;
  bool complete = false;
};

// Collective.
CycleResult run_cycle(const comm::Communicator& world, const CycleOptions& options);

// Collective: the stages of one round in order (the caller holds the workspace lock).
CycleResult run_round(const comm::Communicator& world, const Workspace& workspace, int round,
                      const std::optional<Stage>& only);

}  // namespace quarry::pipeline

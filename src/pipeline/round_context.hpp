#pragma once
// What every stage of one round needs: the workspace, its settings and the round's folder.
// Round 0 is the seed round `quarry init --seed-labels N` starts: a freshly initialised model
// and N items picked at random, since there is nothing to be uncertain about yet.
#include <cstdint>
#include <filesystem>

#include "pipeline/workspace.hpp"

namespace quarry::pipeline {

struct RoundContext {
  Workspace workspace;
  WorkspaceConfig config;
  int round = 0;
  std::filesystem::path dir;      // rounds/NNNN
  std::uint64_t seed_labels = 0;  // round 0: size of the random first batch

  bool seed_round() const { return round == 0; }
  std::filesystem::path output(const char* name) const { return dir / name; }
};

// Reads the settings (and rounds/0000/seed.json for the seed round).
RoundContext make_round_context(const Workspace& workspace, int round);

// Round 0's record of the seed batch size.
void write_seed_record(const std::filesystem::path& round_dir, std::uint64_t seed_labels);

}  // namespace quarry::pipeline

#pragma once
// A workspace folder (DESIGN.md contract):
//   quarry.ini  settings          labels.h5  the label ledger     inbox/  annotation files
//   rounds/NNNN/  one folder per round: model.pt scores.h5 selection.h5 export/ manifest.json
//   logs/  Slurm job logs
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/workspace_config.hpp"

namespace quarry::pipeline {

class Workspace {
 public:
  // InputError naming the path when it holds no quarry.ini (not a workspace).
  static Workspace open(const std::filesystem::path& root);
  explicit Workspace(std::filesystem::path root);  // no checks: for quarry init

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path settings_file() const { return root_ / "quarry.ini"; }
  std::filesystem::path ledger() const { return root_ / "labels.h5"; }
  std::filesystem::path inbox() const { return root_ / "inbox"; }
  std::filesystem::path rounds() const { return root_ / "rounds"; }
  std::filesystem::path logs() const { return root_ / "logs"; }
  std::filesystem::path lock_file() const { return root_ / ".quarry.lock"; }
  std::filesystem::path round_dir(int round) const;

  // Reads quarry.ini (InputError naming an unknown key or a bad value).
  WorkspaceConfig config() const;

  // Round numbers that have a folder, ascending.
  std::vector<int> round_numbers() const;

 private:
  std::filesystem::path root_;
};

// "0007"
std::string round_name(int round);

}  // namespace quarry::pipeline

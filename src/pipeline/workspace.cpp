#include "pipeline/workspace.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

std::string round_name(int round) {
  return fmt::format("{:04}", round);
}

Workspace::Workspace(fs::path root) : root_(fs::absolute(std::move(root)).lexically_normal()) {
  if (root_.has_filename() == false) root_ = root_.parent_path();
}

Workspace Workspace::open(const fs::path& root) {
  Workspace workspace(root);
  if (!fs::is_directory(workspace.root()))
    throw InputError(root.string(), "folder", "does not exist",
                     "create a workspace with quarry init WORKSPACE --pool POOL.h5");
  if (!fs::is_regular_file(workspace.settings_file()))
    throw InputError(root.string(), "quarry.ini", "missing: this is not a quarry workspace",
                     "create one with quarry init WORKSPACE --pool POOL.h5");
  return workspace;
}

fs::path Workspace::round_dir(int round) const {
  return rounds() / round_name(round);
}

WorkspaceConfig Workspace::config() const {
  return read_workspace_config(settings_file());
}

std::vector<int> Workspace::round_numbers() const {
  std::vector<int> numbers;
  if (!fs::is_directory(rounds())) return numbers;
  for (const auto& entry : fs::directory_iterator(rounds())) {
    const auto name = entry.path().filename().string();
    if (!entry.is_directory() || name.size() != 4 ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    numbers.push_back(std::stoi(name));
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

}  // namespace quarry::pipeline

#pragma once
// quarry.ini, a workspace's settings: what every round uses (pool, model, strategy, k,
// annotators, export formats) and the Slurm resources of each stage. One table of known keys
// drives reading, validation, defaults and the commented file `quarry init` writes, so a key
// that does not exist is refused by name wherever it appears (file, --set, settings template).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace quarry::pipeline {

struct SettingInfo {
  std::string key;  // "k", "train.epochs", "slurm.score.nodes"
  std::string default_value;
  std::string help;
};

// Every known key, in the order quarry.ini lists them.
const std::vector<SettingInfo>& workspace_settings();

class WorkspaceConfig {
 public:
  WorkspaceConfig();  // every key at its default

  // Sets a known key (InputError naming `file` and `where` when the key does not exist).
  void set(const std::string& key, const std::string& value, const std::string& file,
           const std::string& where);
  // Applies every entry of an INI file (a workspace's quarry.ini or a settings template).
  void merge_file(const std::filesystem::path& file);
  // "section.key=value" from the command line.
  void set_assignment(const std::string& assignment);

  // Typed reads; InputError naming the origin of the value when it does not parse.
  const std::string& text(const std::string& key) const;
  std::int64_t integer(const std::string& key) const;
  double real(const std::string& key) const;
  std::vector<std::string> list(const std::string& key) const;  // comma-separated, empty: none

  const std::map<std::string, std::string>& values() const { return values_; }

  // Where the value came from ("FILE: line N", "--set", "default"), for messages.
  const std::string& origin(const std::string& key) const { return origin_.at(key); }

  // The whole file, each key with its help as a comment, grouped by section.
  std::string render() const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> origin_;  // key -> "file: line N" for messages
};

WorkspaceConfig read_workspace_config(const std::filesystem::path& file);

// Every value of every stage checked before a round starts or is submitted (InputError naming
// the key and where it was set): numbers parse and are in range, names (strategy, acquisition,
// formats, consensus, architecture, annotators) exist or are usable, Slurm values are sbatch's.
void check_settings(const WorkspaceConfig& config);

}  // namespace quarry::pipeline

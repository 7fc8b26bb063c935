#pragma once
// A stage's manifest: `OUTPUT.manifest.json` next to its output records the inputs (path and
// sha256), outputs, resolved settings, rank count, timings and quarry's version. It is written
// last and atomically, after the output is in place, so its presence means the output is whole:
// a later stage trusts an input only if its manifest says it is complete.
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace quarry {

class AtomicOutput;

// OUTPUT.manifest.json, beside the file a symbolic link OUTPUT names (the manifest describes
// that file, and every path to it must find the same manifest).
std::filesystem::path manifest_path_for(const std::filesystem::path& output);

class Manifest {
 public:
  explicit Manifest(std::string stage);

  // Records the file's path and sha256 (read now, so call it before the stage runs).
  void add_input(const std::string& role, const std::filesystem::path& path);
  void add_output(const std::string& role, const std::filesystem::path& path);
  // Records `path` with the digest and size of `content`: for an output that is still under its
  // temporary name (AtomicOutput::temp_path) when the manifest is prepared.
  void add_output(const std::string& role, const std::filesystem::path& path,
                  const std::filesystem::path& content);
  void set_setting(const std::string& key, nlohmann::json value);
  void set_ranks(int ranks);
  void set_timing(const std::string& phase, double seconds);

  const nlohmann::json& json() const { return doc_; }

  // Writes the manifest for `output` (atomically, replacing an older one) with "complete": true
  // and the wall time since construction.
  void publish_for(const std::filesystem::path& output);

  // The same, written and flushed under a temporary name; the caller commits it. For stages that
  // publish several files together and must finish everything that can fail before the first
  // rename.
  std::unique_ptr<AtomicOutput> prepare_for(const std::filesystem::path& output);

 private:
  nlohmann::json doc_;
  std::chrono::steady_clock::time_point started_;
};

// Removes an output's manifest before the output is replaced, so a crash in between never
// leaves an old manifest vouching for a new file.
void retract_manifest(const std::filesystem::path& output);

// Reads a manifest; nullopt-like empty json when it is missing or not complete.
nlohmann::json read_complete_manifest(const std::filesystem::path& output);

}  // namespace quarry

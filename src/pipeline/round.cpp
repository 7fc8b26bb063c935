#include "pipeline/round.hpp"

#include <fmt/format.h>

#include <fstream>

#include "core/error.hpp"
#include "core/version.hpp"
#include "files/manifest/manifest.hpp"
#include "files/manifest/partial_run.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

const std::vector<Stage>& all_stages() {
  static const std::vector<Stage> stages = {Stage::ingest, Stage::train, Stage::score,
                                            Stage::select, Stage::exporting};
  return stages;
}

std::string stage_name(Stage stage) {
  switch (stage) {
    case Stage::ingest:
      return "ingest";
    case Stage::train:
      return "train";
    case Stage::score:
      return "score";
    case Stage::select:
      return "select";
    case Stage::exporting:
      return "export";
  }
  return "?";
}

Stage parse_stage(const std::string& name) {
  for (Stage stage : all_stages())
    if (stage_name(stage) == name) return stage;
  throw UsageError(fmt::format("unknown stage '{}'", name),
                   "stages: ingest, train, score, select, export");
}

fs::path stage_output(const fs::path& round_dir, Stage stage) {
  switch (stage) {
    case Stage::ingest:
      return round_dir / "ingest.json";
    case Stage::train:
      return round_dir / "model.pt";
    case Stage::score:
      return round_dir / "scores.h5";
    case Stage::select:
      return round_dir / "selection.h5";
    case Stage::exporting:
      return round_dir / "export";
  }
  return {};
}

bool stage_done(const fs::path& round_dir, Stage stage) {
  return !read_complete_manifest(stage_output(round_dir, stage)).is_null();
}

bool round_complete(const fs::path& round_dir) {
  std::ifstream in(round_dir / "manifest.json");
  if (!in) return false;
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  return !doc.is_discarded() && doc.is_object() && doc.value("complete", false);
}

int current_round(const Workspace& workspace) {
  const auto rounds = workspace.round_numbers();
  if (rounds.empty()) return 1;
  const int newest = rounds.back();
  if (!round_complete(workspace.round_dir(newest))) return newest;
  return newest + 1;
}

namespace {
nlohmann::json read_round_manifest(const fs::path& round_dir) {
  std::ifstream in(round_dir / "manifest.json");
  if (!in) return {};
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  return doc.is_discarded() || !doc.is_object() ? nlohmann::json() : doc;
}
}  // namespace

nlohmann::json summarise_round(const Workspace& workspace, int round,
                               const std::map<std::string, double>& stage_seconds) {
  const auto dir = workspace.round_dir(round);
  const auto previous = read_round_manifest(dir);
  nlohmann::json doc = {{"round", round},
                        {"workspace", workspace.root().string()},
                        {"quarry_version", std::string(version())},
                        {"stages", nlohmann::json::object()}};
  // The settings the round ran with: quarry.ini may change before the next round.
  std::error_code missing;
  if (fs::exists(workspace.settings_file(), missing)) doc["settings"] = workspace.config().values();
  bool complete = true;
  for (Stage stage : all_stages()) {
    const auto name = stage_name(stage);
    const auto output = stage_output(dir, stage);
    const auto manifest = read_complete_manifest(output);
    nlohmann::json entry = {{"output", output.filename().string()},
                            {"manifest", manifest_path_for(output).filename().string()},
                            {"done", !manifest.is_null()}};
    if (!manifest.is_null() && manifest.contains("ranks")) entry["ranks"] = manifest["ranks"];
    if (const auto measured = stage_seconds.find(name); measured != stage_seconds.end())
      entry["seconds"] = measured->second;
    else if (previous.contains("stages") && previous["stages"].contains(name) &&
             previous["stages"][name].contains("seconds"))
      entry["seconds"] = previous["stages"][name]["seconds"];
    complete = complete && !manifest.is_null();
    doc["stages"][name] = entry;
  }
  doc["complete"] = complete;
  return doc;
}

void write_round_manifest(const Workspace& workspace, int round,
                          const std::map<std::string, double>& stage_seconds) {
  const auto doc = summarise_round(workspace, round, stage_seconds);
  write_file_atomically(workspace.round_dir(round) / "manifest.json", doc.dump(2) + "\n");
}

void require_complete(const fs::path& output, const std::string& made_by) {
  if (!read_complete_manifest(output).is_null()) return;
  const auto manifest = manifest_path_for(output);
  throw InputError(
      manifest.string(), "complete",
      fs::exists(manifest) ? "the manifest says the output is not complete"
                           : "missing: the input of this stage is not finished",
      fmt::format("run the {} stage first (quarry cycle runs every stage in order)", made_by));
}

}  // namespace quarry::pipeline

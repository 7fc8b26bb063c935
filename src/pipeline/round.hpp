#pragma once
// One round's stages and where each leaves its output. A stage is done when its output's
// manifest (OUTPUT.manifest.json) is complete; the round's manifest.json summarises them.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/workspace.hpp"

namespace quarry::pipeline {

enum class Stage { ingest, train, score, select, exporting };

const std::vector<Stage>& all_stages();  // in round order
std::string stage_name(Stage stage);
Stage parse_stage(const std::string& name);  // UsageError listing the stages

// The output whose manifest marks the stage done, inside the round folder.
std::filesystem::path stage_output(const std::filesystem::path& round_dir, Stage stage);
bool stage_done(const std::filesystem::path& round_dir, Stage stage);

// The round the next `cycle` or `submit` works on: the newest round that is not complete, else
// one past the newest (round 0 is the seed round quarry init starts).
int current_round(const Workspace& workspace);
bool round_complete(const std::filesystem::path& round_dir);

// Rewrites rounds/NNNN/manifest.json from the stage manifests: per stage done or not, output,
// ranks and the wall seconds the round runner measured (`stage_seconds` for the stages it just
// ran, the recorded ones for earlier runs); "complete" when every stage is done.
nlohmann::json summarise_round(const Workspace& workspace, int round,
                               const std::map<std::string, double>& stage_seconds = {});
void write_round_manifest(const Workspace& workspace, int round,
                          const std::map<std::string, double>& stage_seconds = {});

// InputError (the stage's input manifest is missing or incomplete) unless `output`'s manifest
// is complete: a stage trusts only finished inputs.
void require_complete(const std::filesystem::path& output, const std::string& made_by);

}  // namespace quarry::pipeline

#pragma once
// The working folder of a long, resumable stage: `OUTPUT.partial/` beside the output, holding
// the stage's checkpoints and `settings.json`, what they were computed with. A fresh run creates
// it; an existing one is never silently discarded (UsageError unless --resume, or --force which
// removes it); a resumed run must use the same settings (InputError naming the first
// difference), or its checkpoints would not belong to it.
#include <filesystem>
#include <nlohmann/json.hpp>

namespace quarry {

std::filesystem::path partial_folder_for(const std::filesystem::path& output);

// Rank 0, before any rank reads the folder.
void prepare_partial_folder(const std::filesystem::path& folder, const nlohmann::json& settings,
                            bool resume, bool discard);

// InputError naming `settings_file` (JSON, as an earlier run wrote it) and the first key of
// `settings` whose value differs there or is missing: a resumed run must be the same run.
void check_same_settings(const std::filesystem::path& settings_file,
                         const nlohmann::json& settings);

// Writes `bytes` to `path` through an AtomicOutput (a temporary beside it, fsynced and renamed,
// then the folder fsynced): whole or absent, and still there after a crash once this returns.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

}  // namespace quarry

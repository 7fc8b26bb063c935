#pragma once
// Work-unit checkpoints for `quarry score`. The pool's rows are cut into units (whole batches of
// the global batch grid); each unit's results go to their own file in `OUTPUT.partial/`,
// written to a temporary, fsynced and renamed, so a unit is either committed whole or absent.
// After a crash, a requeue or an interrupt, `--resume` scores only the missing units; the final
// scores file is assembled from the unit files and published atomically, so a half-done run
// never looks finished. `settings.json` in the folder records what the units were computed with
// (model sha256, pool, batch, acquisitions, ...): resuming with different settings is refused.
//
// Torch-free: plain files and vectors.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "comm/shard.hpp"
#include "files/scores/unit_result.hpp"

namespace quarry::score {

// The rows of unit `unit` when `items` rows are cut into units of `unit_rows`.
comm::Range unit_rows(std::uint64_t items, std::uint64_t unit_rows, std::uint64_t unit);
std::uint64_t unit_count(std::uint64_t items, std::uint64_t unit_rows);

class Checkpoint {
 public:
  static std::filesystem::path folder_for(const std::filesystem::path& output);

  // Rank 0, before any rank reads the folder. Fresh runs create the folder (an existing one is a
  // UsageError unless `resume`, or `discard` which removes it); resumed runs check that
  // `settings` equal the recorded ones (InputError naming the first difference).
  static void prepare(const std::filesystem::path& folder, const nlohmann::json& settings,
                      bool resume, bool discard);

  explicit Checkpoint(std::filesystem::path folder) : folder_(std::move(folder)) {}
  const std::filesystem::path& folder() const { return folder_; }

  // Which of `units` units have a committed file.
  std::vector<bool> committed(std::uint64_t units) const;
  void commit(const UnitResult& result) const;
  UnitResult load(std::uint64_t unit) const;
  // The number of detections a committed unit holds (its header only).
  std::uint64_t detections_in(std::uint64_t unit) const;
  void remove() const;

 private:
  std::filesystem::path unit_path(std::uint64_t unit) const;
  std::filesystem::path folder_;
};

}  // namespace quarry::score

#pragma once
// The selection file contract (DESIGN.md): /ids uint64 [k] in pick order, /score float32 [k]
// (the acquisition value), /reason float32 [k] (what the strategy recorded at pick time: the
// distance to the nearest chosen item for kcenter, the cluster id for cluster-margin, ...);
// attributes quarry_format="selection/1", strategy, seed, k, objective (covering radius or the
// strategy's objective value), reason (what /reason means), scores (the scores file path).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace quarry::select {

inline constexpr const char* kSelectionFormat = "selection/1";

struct Selection {
  std::vector<std::uint64_t> ids;  // pick order
  std::vector<float> score;
  std::vector<float> reason;
  std::string strategy;
  std::string reason_meaning;  // "distance to nearest earlier pick", "cluster id", ...
  std::uint64_t seed = 0;
  double objective = 0;
  std::string scores;  // the scores file it was chosen from
};

// Writes `selection` to `path` (a plain file: callers pass an AtomicOutput's temporary).
void write_selection(const std::filesystem::path& path, const Selection& selection);

// Reads and validates a selection file (InputError naming the file and item otherwise).
Selection read_selection(const std::filesystem::path& path);

}  // namespace quarry::select

#pragma once
// One learning curve: a strategy and a seed, every round from the initial random labels on.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "comm/communicator.hpp"
#include "ingest/objects/object_pool.hpp"
#include "simulate/curve.hpp"
#include "simulate/options.hpp"

namespace quarry::pipeline {
struct RoundSettings;  // pipeline/round_options.hpp
}  // namespace quarry::pipeline

namespace quarry::simulate {

struct GroundTruth {
  std::vector<std::uint64_t> ids;  // the pool's, in row order
  std::unordered_map<std::uint64_t, std::int32_t> label;
  std::size_t classes = 0;
  // Pools with objects: the pool's objects (and what ingest knows of the pool) instead of labels.
  std::shared_ptr<const ingest::objects::ObjectPool> objects;
};

// Rank 0 reads it (the only rank that answers); InputError when the pool has no labels (no
// objects, on a detect or keypoint pool).
GroundTruth read_ground_truth(const std::filesystem::path& pool);

// The `count` items with the smallest seeded draw: the same first batch for every strategy.
std::vector<std::uint64_t> initial_batch(const std::vector<std::uint64_t>& ids, std::size_t count,
                                         std::uint64_t seed);

struct RunFiles {
  std::filesystem::path dir;
  std::filesystem::path ledger() const { return dir / "labels.h5"; }
  std::filesystem::path curve() const { return dir / "curve.csv"; }
  std::filesystem::path settings() const { return dir / "settings.json"; }
  std::filesystem::path stopping() const { return dir / "stopping.csv"; }
  std::filesystem::path audit() const { return dir / "audit.csv"; }
  std::filesystem::path file(const char* stem, int round, const char* ext) const;
};

// What a run's curve depends on (written to its settings.json; --resume reuses a finished run
// only when they are equal). Random's draw ignores the scores, so its settings leave out the
// selection settings: a finished random run serves every strategy list.
nlohmann::json run_settings(const SimulateOptions& options, const std::string& strategy,
                            std::uint64_t seed);

// What every round of the (strategy, seed) run takes from the options: the stages' options are
// then built by the same functions as quarry cycle's (pipeline/round_options.hpp). Random reuses
// its first scores file (random_reuses_scores); the other settings have a workspace key each.
pipeline::RoundSettings round_settings(const SimulateOptions& options, const std::string& strategy,
                                       std::uint64_t seed);

// Collective. `truth` is only read on rank 0. Writes settings.json first, curve.csv last.
std::vector<CurvePoint> run_one(const comm::Communicator& world, const SimulateOptions& options,
                                const std::string& strategy, std::uint64_t seed,
                                const GroundTruth& truth, const RunFiles& files);

}  // namespace quarry::simulate

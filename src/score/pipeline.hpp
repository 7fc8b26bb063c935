#pragma once
// `quarry score`: every rank streams its share of the pool's work units through the model and
// commits each unit; the scores file is then assembled with MPI-IO and published atomically with
// its manifest. Torch-free header, so the app does not compile torch headers.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "comm/communicator.hpp"

namespace quarry::score {

struct ScoreOptions {
  std::filesystem::path pool, model, out;
  std::uint64_t batch = 256;              // fixed forward shape; the last batch is padded
  std::vector<std::string> acquisitions;  // empty: margin, entropy, least_confidence (+ MC ones)
  int mc_samples = 0;                     // Monte-Carlo dropout passes (bald, variation_ratio)
  std::uint64_t seed = 0;                 // dropout masks: keyed by (seed, batch row, pass)
  double min_confidence = 0.05;           // pools with objects: detections kept and scored
  int threads = 0;                        // per rank; 0: SLURM_CPUS_PER_TASK or cores/ranks
  bool optimize = true;                   // freeze + optimize_for_inference
  std::uint64_t unit_chunks = 64;         // pool chunks per work unit (checkpoint granularity)
  bool resume = false;
  bool force = false;
  // Normalisation for models without input_scale/input_mean/input_std attributes.
  double input_scale = 1.0 / 255.0, input_mean = 0.0, input_std = 1.0;

  bool operator==(const ScoreOptions&) const = default;
};

struct ScoreSummary {
  std::uint64_t items = 0;       // rows in the scores file
  std::uint64_t scored_now = 0;  // rows this run scored (the rest came from checkpoints)
  std::uint64_t units = 0, units_resumed = 0;
  int threads = 0;
  int nodes = 1;
  nlohmann::json placement;  // rank 0: every rank's node, local rank and threads (the manifest's)
  double score_seconds = 0, total_seconds = 0;
};

// Collective. Throws InputError/UsageError (exit 2) on bad input before anything is published,
// Interrupted (exit 99) after committing the current unit when SIGUSR1/SIGTERM arrived.
ScoreSummary score_pool(const comm::Communicator& world, const ScoreOptions& options);

}  // namespace quarry::score

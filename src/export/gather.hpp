#pragma once
// Collects what an export writes from its inputs: the selection (which items, in pick order,
// with their acquisition values), the pool (where each item's pixels are) and the scores file
// (the model's prediction and probability, the pre-label). Every check that can refuse the
// inputs runs here, before anything is written.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "export/export_batch.hpp"

namespace quarry::exporting {

// Detections shown as pre-labels need at least this confidence (see docs/export.md for how it was
// chosen).
inline constexpr double kDefaultPrelabelMinConfidence = 0.3;

struct ExportInputs {
  std::filesystem::path selection;
  std::filesystem::path pool;
  std::filesystem::path scores;
  std::filesystem::path labels;  // the label ledger; empty when not given
  double gold_rate = 0;          // gold items per selected item (needs labels)
  std::vector<std::string> annotators;
  std::uint32_t annotators_per_item = 1;
  std::uint64_t seed = 0;
  // Pools with objects: detections below this confidence are not pre-labels.
  double prelabel_min_confidence = kDefaultPrelabelMinConfidence;
};

// InputError (naming the file and item) for: a pool of features or of images a PNG cannot hold,
// a scores file whose ids or classes are not the pool's (or without /detections for a pool with
// objects), selection ids missing from the pool or repeated. UsageError for option combinations
// that cannot work and a pre-label threshold outside [0, 1].
ExportBatch gather_batch(const ExportInputs& inputs);

}  // namespace quarry::exporting

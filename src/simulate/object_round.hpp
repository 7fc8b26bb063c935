#pragma once
// One round of a simulation on a pool with objects, the parts a classification round does not
// have: the round's export writes the selection's pre-labels (the detections at or above the
// export threshold, by quarry export itself), simulated correcting annotators answer from them
// (or from scratch), and the real quarry ingest takes their object CSV with the export's
// pre-label list, so consensus and pre-label accounting are the product's. Rank 0 only.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "ingest/objects/object_pool.hpp"
#include "simulate/options.hpp"

namespace quarry::pipeline {
struct RoundSettings;
struct RoundPaths;
}  // namespace quarry::pipeline

namespace quarry::simulate {

struct ObjectAnnotation {
  std::size_t answers = 0;
  double seconds = 0;          // what the answers took (their actions, priced by the time model)
  double scratch_seconds = 0;  // what the same answers would take drawn from scratch
  std::uint64_t objects = 0;   // objects consensus kept on the batch's items
};

// The batch answered by `votes_per_item` correcting annotators starting from `prelabels` (an
// export's pre-label list; empty path: drawn from scratch), written to `answers_csv` and ingested
// as workspace round `round`. Throws when ingest rejects any answer.
ObjectAnnotation annotate_objects(const SimulateOptions& options,
                                  const pipeline::RoundSettings& settings,
                                  const ingest::objects::ObjectPool& pool,
                                  const std::vector<std::uint64_t>& batch,
                                  const std::filesystem::path& prelabels, int round,
                                  const pipeline::RoundPaths& paths,
                                  const std::filesystem::path& answers_csv);

// Exports the round's selection (CSV) into `out` and returns its pre-label list.
std::filesystem::path export_prelabels(const pipeline::RoundSettings& settings, int round,
                                       const pipeline::RoundPaths& paths,
                                       const std::filesystem::path& out);

}  // namespace quarry::simulate

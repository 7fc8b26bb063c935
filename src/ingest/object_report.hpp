#pragma once
// What an ingest of objects (detection and keypoint pools) measured: consensus settings, agreement
// between annotators, each annotator against the consensus (and against gold: the pool's own
// ground-truth objects where it has them) and what annotators did with the model's pre-labels.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/objects/comparison.hpp"
#include "ingest/objects/prelabel_accounting.hpp"

namespace quarry::ingest {

struct ObjectAnnotatorRow {
  std::string name;
  std::int32_t answers = 0;
  double reliability = 0;                            // the weight consensus gave its answers
  objects::Comparison consensus;                     // its answers against the consensus
  std::optional<objects::Comparison> gold;           // against the pool's ground truth, where known
  std::optional<objects::PrelabelCounts> prelabels;  // on items with pre-labels
};

struct ObjectReport {
  double iou_threshold = 0.5;
  double min_support = 0.5;
  std::size_t objects = 0;  // consensus objects of the batch's items
  std::size_t split_items = 0;
  objects::Comparison between_annotators;  // summed over pairs of answers on an item
  std::vector<ObjectAnnotatorRow> annotators;
  std::optional<objects::PrelabelCounts> prelabels;  // all annotators
  int iterations = 0;                                // Dawid-Skene's over the matched objects
  bool converged = true;
};

// The summary lines after an ingest of objects: consensus, agreement, one row per annotator,
// pre-label accounting.
std::string format_object_report(const ObjectReport& report);
// The same for the ingest manifest's settings ("objects").
nlohmann::json object_report_json(const ObjectReport& report);

}  // namespace quarry::ingest

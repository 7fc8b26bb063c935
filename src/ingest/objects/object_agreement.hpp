#pragma once
// Agreement on objects. Between annotators: every pair of answers on an item compared
// (comparison.hpp) and summed over the batch: the mean IoU of matched pairs, the object-level F1
// (2 x matched / both counts) and the keypoints' mean OKS. Per annotator against a reference
// (the consensus, or gold objects where an item's objects are known): precision, recall, mean
// IoU and mean OKS of its answers.
#include <cstdint>
#include <optional>
#include <vector>

#include "ingest/objects/comparison.hpp"
#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

// Summed over all pairs of answers on the same item (the earlier answer as the reference).
Comparison between_annotators(const std::vector<ItemAnswers>& items, double iou_threshold,
                              const std::vector<double>& sigmas);

// references[i]: the reference objects of items[i], or nullopt where the item has none (not
// gold). Returns one Comparison per annotator (0..annotators-1) and how many answers it compared.
struct PerAnnotator {
  std::vector<Comparison> scores;
  std::vector<std::int32_t> answers;  // answers compared, per annotator
};
PerAnnotator against_reference(
    const std::vector<ItemAnswers>& items,
    const std::vector<std::optional<std::vector<DrawnObject>>>& references, std::int32_t annotators,
    double iou_threshold, const std::vector<double>& sigmas);

}  // namespace quarry::ingest::objects

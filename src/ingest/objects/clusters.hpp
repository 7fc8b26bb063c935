#pragma once
// Grouping one item's objects across its annotators: each cluster holds at most one object per
// answer, objects that overlap by IoU >= threshold under an optimal assignment. Answers are taken
// most reliable first; each one's objects are assigned (Hungarian, cost 1 - IoU) to the clusters
// so far, compared against each cluster's fused box, and an object left over opens a cluster.
// Class plays no part: a box drawn with the wrong class is still the same object (Dawid-Skene
// decides its class later).
#include <cstddef>
#include <span>
#include <vector>

#include "ingest/objects/annotator_weights.hpp"
#include "ingest/objects/drawn_object.hpp"
#include "ingest/objects/fusion.hpp"

namespace quarry::ingest::objects {

struct Member {
  std::size_t answer = 0;  // index into ItemAnswers::answers
  std::size_t object = 0;  // index into that answer's objects
};
using Cluster = std::vector<Member>;

// Answers are taken by decreasing reliability; clusters' boxes are fused with the box weights.
std::vector<Cluster> cluster_objects(const ItemAnswers& item, const AnnotatorWeights& weights,
                                     double iou_threshold);

// The cluster's objects with their weights (`weight[annotator]` x the object's confidence).
std::vector<Weighted> cluster_members(const ItemAnswers& item, const Cluster& cluster,
                                      std::span<const double> weight);

}  // namespace quarry::ingest::objects

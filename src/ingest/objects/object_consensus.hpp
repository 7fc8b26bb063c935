#pragma once
// Object consensus for detection and keypoint items (issue 17). Per item:
// 1. cluster the annotators' objects by IoU with an optimal assignment (clusters.hpp);
// 2. keep a cluster drawn by at least `min_support` of the item's answers;
// 3. fuse its box by weighted boxes fusion and its keypoints by weighted medians with visibility
//    by vote (fusion.hpp), weighted by the annotator's box and keypoint weights;
// 4. its class by Dawid-Skene over the kept clusters of the whole batch (each cluster an "item",
//    each member's class a vote: consensus/dawid_skene.hpp);
// 5. its confidence = the reliability-weighted share of the item's answers that drew it x the
//    Dawid-Skene posterior of its class.
// Weights: a first pass with equal weights; then each annotator's reliability and box and keypoint
// weights estimated against the last pass's consensus (annotator_weights.hpp) weigh the next,
// `passes` in all (the estimates settle: more passes change little). An
// item goes to adjudication when a kept object's confidence is below `min_confidence` or its
// support is split: exactly half of its answers drew an object, or an object that two or more drew
// fell short.
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/consensus/dawid_skene.hpp"
#include "ingest/objects/annotator_weights.hpp"
#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

struct ConsensusOptions {
  double iou_threshold = 0.5;
  double min_support = 0.5;  // share of the item's answers that must draw an object
  double min_confidence = 0.7;
  std::int32_t classes = 0;
  std::int32_t annotators = 0;  // global annotator count (Answer::annotator indexes it)
  std::size_t keypoint_count = 0;
  int passes = 4;  // the first with equal weights
  DawidSkeneOptions dawid_skene;
};

struct ConsensusObject : DrawnObject {  // confidence: the object's consensus confidence
  std::int32_t support = 0;             // answers that drew it
  double class_posterior = 0;
};

struct ItemConsensus {
  std::uint64_t id = 0;
  std::int32_t answers = 0;
  std::vector<ConsensusObject> objects;  // kept objects
  bool split = false;                    // split support
  bool adjudicate = false;               // split, or an object below min_confidence
};

struct ObjectConsensus {
  std::vector<ItemConsensus> items;  // in the input's order
  AnnotatorWeights weights;          // per annotator, as the final pass used them
  int iterations = 0;                // Dawid-Skene's, final pass
  bool converged = true;
};

ObjectConsensus object_consensus(const std::vector<ItemAnswers>& items,
                                 const ConsensusOptions& options);

// Each consensus object as a DrawnObject list per item (for comparisons).
std::vector<DrawnObject> drawn(const ItemConsensus& item);

}  // namespace quarry::ingest::objects

#pragma once
// How much each annotator's objects count, estimated from a first consensus with equal weights.
// - reliability: F1 x mean IoU of its answers against the consensus (floored at
//   kMinReliability): who draws the objects that are there. It orders the matching and weighs
//   an object's support.
// - box and keypoint weights: the inverse of the annotator's variance of corner (keypoint)
//   positions around the consensus, as shares of the consensus box's width and height, shrunk
//   toward the crowd's pooled variance by kPriorValues values. Weighted by them, the fused
//   position is the maximum-likelihood estimate under independent Gaussian errors, so one
//   careless annotator's corners barely move it.
#include <cstdint>
#include <vector>

#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

inline constexpr double kMinReliability = 0.05;
inline constexpr double kPriorValues = 16;
// A floor under every variance: nobody places a corner closer than 1% of the box's size.
inline constexpr double kMinVariance = 1e-4;

struct AnnotatorWeights {
  std::vector<double> reliability;
  std::vector<double> box;
  std::vector<double> keypoint;
};

AnnotatorWeights equal_weights(std::int32_t annotators);

// `consensus[i]`: the first pass's objects of items[i].
AnnotatorWeights estimate_weights(const std::vector<ItemAnswers>& items,
                                  const std::vector<std::vector<DrawnObject>>& consensus,
                                  std::int32_t annotators, double iou_threshold);

}  // namespace quarry::ingest::objects

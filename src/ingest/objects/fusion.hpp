#pragma once
// Fusing the matched objects of one cluster into one object.
// - Box: weighted boxes fusion (Solovyev, Wang and Gabruseva 2021, "Weighted boxes fusion:
//   ensembling boxes from different object detection models"): each corner is the
//   weight-weighted mean of the matched boxes' corners, the weight being the annotator's
//   reliability times the box's confidence. Unlike non-maximum suppression it uses every box, so
//   independent corner errors average out.
// - Keypoint: the weighted median of the labelled positions (x and y separately; a median is
//   unmoved by one annotator's stray click; interpolated, so two good annotators average), its
//   visibility the weighted vote over 0/1/2 among all matched objects; a keypoint voted "not
//   labelled" is (0, 0, 0) as in COCO.
#include <array>
#include <span>
#include <vector>

#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

struct Weighted {
  const DrawnObject* object = nullptr;
  double weight = 1;
};

std::array<double, 4> fuse_box(std::span<const Weighted> members);

// K triples; `keypoint_count` K (0: none).
std::vector<double> fuse_keypoints(std::span<const Weighted> members, std::size_t keypoint_count);

// The interpolated weighted median: value i sits at the middle of its weight on the cumulative
// scale, (W_i - w_i / 2) / W, and the median is read at 1/2 between neighbours. Odd equal weights
// give the middle value; two equal weights their mean; a tiny weight barely moves it.
double weighted_median(std::vector<std::pair<double, double>> value_weight);

}  // namespace quarry::ingest::objects

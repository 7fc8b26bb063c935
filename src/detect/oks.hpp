#pragma once
// Object keypoint similarity (OKS), the keypoint counterpart of box IoU, exactly as cocoapi's
// COCOeval.computeOks computes it, and the area COCO's loadRes gives a keypoint result.
#include <vector>

#include "detect/coco_eval.hpp"

namespace quarry::detect {

// OKS between a detection and a truth object: the mean over the truth's labelled keypoints
// (v > 0) of exp(-e), e = (dx^2 + dy^2) / (2 sigma)^2 / (area + eps) / 2 with eps = 2^-52 and
// the truth's COCO area. A truth with no labelled keypoint measures every detected keypoint's
// distance outside its box enlarged to [x - w, x + 2w] x [y - h, y + 2h] instead. Both keypoint
// lists hold sigmas.size() triples (the detection's third values are not read).
double oks(const Detection& detection, const TruthObject& truth, const std::vector<double>& sigmas);

// (max x - min x) * (max y - min y) over all K keypoints, labelled or not, as loadRes computes a
// keypoint result's area.
double keypoint_extent_area(const std::vector<double>& keypoints);

}  // namespace quarry::detect

#pragma once
// COCOeval.summarize(): the summary statistics as means over the accumulated precision and
// recall, leaving out the -1 of categories without counted truth.
#include <cstddef>
#include <optional>
#include <vector>

#include "detect/coco_accumulate.hpp"

namespace quarry::detect {

// The 12 (bbox) or 10 (keypoints) statistics over every category, or over category index
// `category` alone (what COCOeval gives with params.catIds = [that id]). As summarize(), the
// area ranges are found by label, maxDets and the thresholds .5 and .75 by value: -1 where the
// parameters have none of them.
std::vector<double> summarize(Accumulated& accumulated, const Params& params,
                              std::optional<std::size_t> category = std::nullopt);

// For each IoU threshold: mean precision (AP) or recall over the categories, area "all" and
// the largest maxDets.
std::vector<double> ap_per_iou(Accumulated& accumulated, const Params& params);
std::vector<double> recall_per_iou(Accumulated& accumulated, const Params& params);

}  // namespace quarry::detect

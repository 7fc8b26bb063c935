#pragma once
// COCO JSON files into the evaluator's inputs: a ground-truth file (images, categories,
// annotations) and a results file (a list of detections), read as pycocotools' COCO and
// COCO.loadRes read them. Bad input is an InputError naming the file, the annotation (by id, or
// by position in a results file) and the problem.
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "detect/coco_eval.hpp"

namespace quarry::detect {

// Every image, category and annotation. Boxes need `bbox` and `area`; keypoints also need
// `keypoints` (3 values per keypoint, the same count for every annotation); `num_keypoints`
// defaults to the number of labelled keypoints, `iscrowd` to 0. Annotation ids must be >= 1 and
// unique, image and category ids must be listed.
GroundTruth read_coco_truth(const std::filesystem::path& file, IouType iou_type);

// A results file: detections with image_id, category_id, score and `bbox` (boxes) or
// `keypoints` (keypoints). A result's area is what loadRes gives it: w*h where it has a box,
// otherwise the extent of its keypoints. Image and category ids must be in `truth` (pycocotools
// asserts the images; an unknown category there silently scores nothing, here it is named).
std::vector<Detection> read_coco_results(const std::filesystem::path& file,
                                         const GroundTruth& truth, IouType iou_type);

// The same from documents already parsed; `file` names their source in messages.
GroundTruth coco_truth(const nlohmann::json& document, IouType iou_type, const std::string& file);
std::vector<Detection> coco_results(const nlohmann::json& document, const GroundTruth& truth,
                                    IouType iou_type, const std::string& file);

}  // namespace quarry::detect

// COCO pre-labels of pools with objects: keypoint categories as COCO's person_keypoints files
// have them (names, 1-based skeleton pairs) and annotations with bbox [x, y, w, h], keypoints
// [x, y, v, ...] and num_keypoints; the results list is what COCO's evaluation reads as
// detections.
#include <filesystem>

#include "export/object_writers.hpp"

namespace quarry::exporting {

namespace {

nlohmann::json bbox_of(const ObjectPreLabel& object) {
  const auto& b = object.box;
  return {b[0], b[1], b[2] - b[0], b[3] - b[1]};
}

}  // namespace

nlohmann::json coco_object_categories(const ExportBatch& batch) {
  nlohmann::json categories = nlohmann::json::array();
  nlohmann::json skeleton = nlohmann::json::array();
  for (const auto& [a, b] : batch.task.skeleton) skeleton.push_back({a + 1, b + 1});
  for (std::size_t c = 0; c < batch.classes.size(); ++c) {
    nlohmann::json category = {
        {"id", c + 1}, {"name", batch.classes[c]}, {"supercategory", "object"}};
    if (batch.task.keypoints() > 0) {
      category["keypoints"] = batch.task.keypoint_names;
      category["skeleton"] = skeleton;
    }
    categories.push_back(std::move(category));
  }
  return categories;
}

void add_coco_objects(const ExportTask& task, std::size_t image_id, nlohmann::json& annotations,
                      nlohmann::json& results) {
  for (const ObjectPreLabel& object : task.objects) {
    const auto& b = object.box;
    const nlohmann::json outline = {b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3]};
    nlohmann::json annotation = {{"id", annotations.size() + 1},
                                 {"image_id", image_id},
                                 {"category_id", object.class_index + 1},
                                 {"bbox", bbox_of(object)},
                                 {"area", (b[2] - b[0]) * (b[3] - b[1])},
                                 {"iscrowd", 0},
                                 {"segmentation", nlohmann::json::array({outline})},
                                 {"score", object.confidence},
                                 {"quarry_id", task.id}};
    nlohmann::json result = {{"image_id", image_id},
                             {"category_id", object.class_index + 1},
                             {"bbox", bbox_of(object)},
                             {"score", object.confidence}};
    if (!object.keypoints.empty()) {
      int labelled = 0;
      for (std::size_t j = 2; j < object.keypoints.size(); j += 3)
        labelled += object.keypoints[j] != pool::kNotLabelled;
      annotation["keypoints"] = object.keypoints;
      annotation["num_keypoints"] = labelled;
      result["keypoints"] = object.keypoints;
    }
    annotations.push_back(std::move(annotation));
    results.push_back(std::move(result));
  }
}

}  // namespace quarry::exporting

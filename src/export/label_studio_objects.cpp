// Label Studio pre-labels of pools with objects: RectangleLabels and KeyPointLabels results, the
// shape Label Studio's own export gives annotations (x, y, width, height in percent of
// original_width x original_height; a keypoint's region names its box's region in parentID).
#include <fmt/format.h>

#include <algorithm>

#include "export/object_writers.hpp"

namespace quarry::exporting {

namespace {

// A keypoint's drawn radius, in pixels of the image: large enough to grab on small items.
constexpr double kKeypointRadiusPixels = 2, kKeypointRadiusOfWidth = 0.006;

nlohmann::json region(const char* from_name, const char* type, const ExportTask& task,
                      const std::string& id) {
  return {{"id", id},
          {"from_name", from_name},
          {"to_name", kLabelStudioImage},
          {"type", type},
          {"original_width", task.shown.width},
          {"original_height", task.shown.height},
          {"image_rotation", 0}};
}

}  // namespace

nlohmann::json label_studio_object_results(const ExportBatch& batch, const ExportTask& task) {
  nlohmann::json results = nlohmann::json::array();
  const double width = task.shown.width, height = task.shown.height;
  const double radius = std::max(kKeypointRadiusPixels, kKeypointRadiusOfWidth * width);
  for (std::size_t n = 0; n < task.objects.size(); ++n) {
    const ObjectPreLabel& object = task.objects[n];
    const std::string box_id = fmt::format("box{}", n + 1);
    nlohmann::json box = region(kLabelStudioBoxes, "rectanglelabels", task, box_id);
    const auto& b = object.box;
    box["value"] = {
        {"x", 100 * b[0] / width},
        {"y", 100 * b[1] / height},
        {"width", 100 * (b[2] - b[0]) / width},
        {"height", 100 * (b[3] - b[1]) / height},
        {"rotation", 0},
        {"rectanglelabels", nlohmann::json::array({batch.classes[object.class_index]})}};
    box["score"] = object.confidence;
    results.push_back(std::move(box));
    for (std::size_t j = 0; j < batch.task.keypoints(); ++j) {
      if (object.keypoints[3 * j + 2] == pool::kNotLabelled) continue;
      const std::string& name = batch.task.keypoint_names[j];
      nlohmann::json point =
          region(kLabelStudioKeypoints, "keypointlabels", task, fmt::format("{}-{}", box_id, j));
      point["parentID"] = box_id;
      point["value"] = {{"x", 100 * object.keypoints[3 * j] / width},
                        {"y", 100 * object.keypoints[3 * j + 1] / height},
                        {"width", 100 * radius / width},
                        {"keypointlabels", nlohmann::json::array({name})}};
      point["score"] = object.keypoint_confidence[j];
      results.push_back(std::move(point));
    }
  }
  return results;
}

void add_label_studio_object_tags(const ExportBatch& batch, pugi::xml_node view) {
  pugi::xml_node boxes = view.append_child("RectangleLabels");
  boxes.append_attribute("name") = kLabelStudioBoxes;
  boxes.append_attribute("toName") = kLabelStudioImage;
  for (const std::string& name : batch.classes)
    boxes.append_child("Label").append_attribute("value") = name.c_str();
  if (batch.task.keypoints() == 0) return;
  pugi::xml_node points = view.append_child("KeyPointLabels");
  points.append_attribute("name") = kLabelStudioKeypoints;
  points.append_attribute("toName") = kLabelStudioImage;
  for (const std::string& name : batch.task.keypoint_names)
    points.append_child("Label").append_attribute("value") = name.c_str();
}

}  // namespace quarry::exporting

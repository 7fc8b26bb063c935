// SageMaker Ground Truth pre-labels of pools with objects: the input manifest of a bounding-box
// adjustment job. Such a job adjusts the labels of an earlier job, found in each line under that
// job's label attribute in the shape of a bounding-box job's output: image_size and annotations
// {class_id, left, top, width, height} in whole pixels (as Ground Truth writes them; each corner
// rounded, so within 0.5 px of the detection), and the -metadata with the class map, each
// object's confidence, type, job-name, human-annotated and creation-date. Ground Truth's
// built-in bounding-box task has no keypoints: they are not carried.
#include <fmt/format.h>

#include <cmath>
#include <ctime>

#include "export/object_writers.hpp"

namespace quarry::exporting {

std::string sagemaker_creation_date() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000000", &utc);
  return text;
}

nlohmann::json sagemaker_object_line(const ExportBatch& batch, const ExportTask& task,
                                     const std::string& prefix, const std::string& creation_date) {
  nlohmann::json annotations = nlohmann::json::array();
  nlohmann::json objects = nlohmann::json::array();
  for (const ObjectPreLabel& object : task.objects) {
    const auto& b = object.box;
    const long x0 = std::lround(b[0]), y0 = std::lround(b[1]);
    const long x1 = std::lround(b[2]), y1 = std::lround(b[3]);
    annotations.push_back({{"class_id", object.class_index},
                           {"left", x0},
                           {"top", y0},
                           {"width", x1 - x0},
                           {"height", y1 - y0}});
    objects.push_back({{"confidence", object.confidence}});
  }
  nlohmann::json class_map = nlohmann::json::object();
  for (std::size_t c = 0; c < batch.classes.size(); ++c)
    class_map[std::to_string(c)] = batch.classes[c];
  const std::string attribute = kSageMakerLabelAttribute;
  return {{"source-ref", prefix + task.file},
          {"quarry-id", task.id},
          {attribute,
           {{"image_size", nlohmann::json::array({{{"width", task.shown.width},
                                                   {"height", task.shown.height},
                                                   {"depth", batch.image.channels}}})},
            {"annotations", std::move(annotations)}}},
          {attribute + "-metadata",
           {{"objects", std::move(objects)},
            {"class-map", std::move(class_map)},
            {"type", "groundtruth/object-detection"},
            {"human-annotated", "no"},
            {"creation-date", creation_date},
            {"job-name", "labeling-job/" + attribute}}}};
}

}  // namespace quarry::exporting

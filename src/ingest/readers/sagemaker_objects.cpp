// SageMaker Ground Truth bounding-box output (task type groundtruth/object-detection): boxes as
// left, top, width and height in pixels of the image the worker saw. Per-worker answers name the
// class (`label`); the consolidated attribute gives a class_id into the metadata's class-map and
// a confidence per box in the metadata's `objects`.
#include <fmt/format.h>

#include <stdexcept>

#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/object_readers.hpp"

namespace quarry::ingest {

namespace {

RecordObject box_of(const nlohmann::json& box, const std::string& where) {
  RecordObject object;
  const double left = number_field(box, "left", where + ".left");
  const double top = number_field(box, "top", where + ".top");
  object.box = {left, top, left + number_field(box, "width", where + ".width"),
                top + number_field(box, "height", where + ".height")};
  object.where = where;
  return object;
}

// The boundingBoxes list in a worker's content: at the top or one level down.
const nlohmann::json* boxes_in(const nlohmann::json& content) {
  if (!content.is_object()) return nullptr;
  if (auto it = content.find("boundingBoxes"); it != content.end()) return &*it;
  for (const auto& [key, value] : content.items())
    if (value.is_object())
      if (auto it = value.find("boundingBoxes"); it != value.end()) return &*it;
  return nullptr;
}

}  // namespace

std::vector<RecordObject> sagemaker_worker_objects(const nlohmann::json& content) {
  const auto* boxes = boxes_in(content);
  if (!boxes) return {};  // a worker who drew nothing: Ground Truth leaves the list out
  if (!boxes->is_array()) throw std::invalid_argument("boundingBoxes is not a list");
  std::vector<RecordObject> objects;
  for (std::size_t b = 0; b < boxes->size(); ++b) {
    const std::string where = fmt::format("boundingBoxes[{}]", b);
    auto object = box_of((*boxes)[b], where);
    const auto label =
        (*boxes)[b].contains("label") ? json_label((*boxes)[b]["label"]) : std::nullopt;
    if (!label) throw std::invalid_argument(where + ": has no label");
    object.label = *label;
    objects.push_back(std::move(object));
  }
  return objects;
}

std::vector<RecordObject> sagemaker_consolidated_objects(const nlohmann::json& attribute,
                                                         const nlohmann::json& metadata) {
  const auto boxes = attribute.find("annotations");
  if (boxes == attribute.end() || !boxes->is_array())
    throw std::invalid_argument("the label attribute has no annotations list");
  const auto classes = metadata.find("class-map");
  const auto confidence = metadata.find("objects");
  std::vector<RecordObject> objects;
  for (std::size_t b = 0; b < boxes->size(); ++b) {
    const std::string where = fmt::format("annotations[{}]", b);
    auto object = box_of((*boxes)[b], where);
    const auto id =
        (*boxes)[b].contains("class_id") ? json_label((*boxes)[b]["class_id"]) : std::nullopt;
    if (!id) throw std::invalid_argument(where + ": has no class_id");
    object.label = *id;  // an index where the class-map does not name it
    if (classes != metadata.end() && classes->is_object() && classes->contains(*id))
      if (auto name = json_label((*classes)[*id])) object.label = *name;
    if (confidence != metadata.end() && confidence->is_array() && b < confidence->size())
      object.score = number_field((*confidence)[b], "confidence", where + " objects[].confidence");
    objects.push_back(std::move(object));
  }
  return objects;
}

}  // namespace quarry::ingest

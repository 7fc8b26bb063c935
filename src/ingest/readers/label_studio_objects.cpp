// Label Studio's regions in an exported annotation (`result`): `rectanglelabels` results are
// boxes (x, y, width, height in percent of original_width x original_height, rotation 0), and
// `keypointlabels` results are keypoints (x, y in percent), each naming its box's region `id` in
// `parentID`. The label of a keypoint region is the keypoint's name.
#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/object_readers.hpp"

namespace quarry::ingest {

namespace {

struct Percent {
  double width = 0, height = 0;  // original_width, original_height: what 100% is
};

Percent image_of(const nlohmann::json& result, const std::string& where) {
  Percent p{number_field(result, "original_width", where + ".original_width"),
            number_field(result, "original_height", where + ".original_height")};
  if (!(p.width > 0 && p.height > 0))
    throw std::invalid_argument(fmt::format("{}: original_width x original_height {} x {} is empty",
                                            where, p.width, p.height));
  return p;
}

std::string single_label(const nlohmann::json& value, const char* field, const std::string& where) {
  const auto labels = value.find(field);
  if (labels == value.end() || !labels->is_array() || labels->size() != 1 ||
      !json_label(labels->front()))
    throw std::invalid_argument(fmt::format("{}: value.{} does not hold one name", where, field));
  return *json_label(labels->front());
}

RecordObject box_of(const nlohmann::json& result, const std::string& where) {
  const auto& value = result.at("value");
  const Percent image = image_of(result, where);
  if (value.contains("rotation") && number_field(value, "rotation", where + ".value.rotation") != 0)
    throw std::invalid_argument(where + ": is a rotated rectangle (quarry's boxes are upright)");
  RecordObject object;
  const double x = number_field(value, "x", where + ".value.x") * image.width / 100;
  const double y = number_field(value, "y", where + ".value.y") * image.height / 100;
  const double w = number_field(value, "width", where + ".value.width") * image.width / 100;
  const double h = number_field(value, "height", where + ".value.height") * image.height / 100;
  object.box = {x, y, x + w, y + h};
  object.label = single_label(value, "rectanglelabels", where);
  if (result.contains("score")) object.score = number_field(result, "score", where + ".score");
  object.where = where;
  return object;
}

RecordKeypoint keypoint_of(const nlohmann::json& result, const std::string& where) {
  const auto& value = result.at("value");
  const Percent image = image_of(result, where);
  return {single_label(value, "keypointlabels", where),
          number_field(value, "x", where + ".value.x") * image.width / 100,
          number_field(value, "y", where + ".value.y") * image.height / 100, 2};
}

std::string region_name(const nlohmann::json& result, std::size_t r) {
  const auto id = result.contains("id") ? json_label(result["id"]) : std::nullopt;
  return id ? fmt::format("result {} ({})", r + 1, *id) : fmt::format("result {}", r + 1);
}

}  // namespace

std::vector<RecordObject> label_studio_objects(const nlohmann::json& annotation) {
  const auto results = annotation.find("result");
  if (results == annotation.end() || !results->is_array()) return {};
  std::vector<RecordObject> objects;
  std::map<std::string, std::size_t> box_of_region;  // region id -> index in objects
  for (std::size_t r = 0; r < results->size(); ++r) {
    const auto& result = (*results)[r];
    if (string_field(result, "type", "result.type") != "rectanglelabels") continue;
    objects.push_back(box_of(result, region_name(result, r)));
    if (auto id = result.contains("id") ? json_label(result["id"]) : std::nullopt)
      box_of_region[*id] = objects.size() - 1;
  }
  for (std::size_t r = 0; r < results->size(); ++r) {
    const auto& result = (*results)[r];
    if (string_field(result, "type", "result.type") != "keypointlabels") continue;
    const std::string where = region_name(result, r);
    const auto parent = result.contains("parentID") ? json_label(result["parentID"]) : std::nullopt;
    const auto box = parent ? box_of_region.find(*parent) : box_of_region.end();
    if (box == box_of_region.end())
      throw std::invalid_argument(
          fmt::format("{}: is a keypoint without its object (parentID {} names no rectangle)",
                      where, parent.value_or("missing")));
    objects[box->second].keypoints.push_back(keypoint_of(result, where));
  }
  return objects;
}

}  // namespace quarry::ingest

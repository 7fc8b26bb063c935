#include "detect/coco_json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_set>

#include "core/error.hpp"
#include "detect/oks.hpp"

namespace quarry::detect {

namespace {

using nlohmann::json;

json parse_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "", "cannot be opened");
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {
    throw InputError(file.string(), fmt::format("byte {}", e.byte), "is not valid JSON",
                     "COCO files are JSON as pycocotools reads them");
  } catch (const json::exception& e) {
    throw InputError(file.string(), "", fmt::format("is not valid JSON ({})", e.what()));
  }
}

// The field problems below are thrown as std::invalid_argument and given the file and the
// annotation by the caller.
const json& field(const json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end()) throw std::invalid_argument(fmt::format("has no '{}'", name));
  return *found;
}

std::int64_t integer(const json& object, const char* name) {
  const json& value = field(object, name);
  if (!value.is_number_integer())
    throw std::invalid_argument(fmt::format("'{}' is not an integer", name));
  return value.get<std::int64_t>();
}

double number(const json& value, const std::string& what) {
  if (!value.is_number()) throw std::invalid_argument(fmt::format("{} is not a number", what));
  const double v = value.get<double>();
  if (!std::isfinite(v)) throw std::invalid_argument(fmt::format("{} is not finite", what));
  return v;
}

std::vector<double> numbers(const json& object, const char* name) {
  const json& value = field(object, name);
  if (!value.is_array()) throw std::invalid_argument(fmt::format("'{}' is not an array", name));
  std::vector<double> values;
  for (std::size_t i = 0; i < value.size(); ++i)
    values.push_back(number(value[i], fmt::format("'{}'[{}]", name, i)));
  return values;
}

Box box_of(const json& object) {
  const std::vector<double> v = numbers(object, "bbox");
  if (v.size() != 4)
    throw std::invalid_argument(fmt::format("'bbox' has {} values, not x, y, w, h", v.size()));
  if (v[2] < 0 || v[3] < 0) throw std::invalid_argument("'bbox' has a negative width or height");
  return {v[0], v[1], v[2], v[3]};
}

// Keypoints as K triples; `expected` is the count every annotation of the file must have (set
// by the first one read).
std::vector<double> keypoints_of(const json& object, std::size_t& expected) {
  std::vector<double> v = numbers(object, "keypoints");
  if (v.empty() || v.size() % 3 != 0)
    throw std::invalid_argument(
        fmt::format("'keypoints' has {} values, not x, y, v for each keypoint", v.size()));
  if (expected == 0) expected = v.size();
  if (v.size() != expected)
    throw std::invalid_argument(
        fmt::format("'keypoints' has {} values where the others have {}", v.size(), expected));
  return v;
}

const json& array_field(const json& document, const char* name, const std::string& file) {
  if (!document.is_object() || !document.contains(name) || !document[name].is_array())
    throw InputError(file, "top level", fmt::format("has no '{}' array", name),
                     "a COCO ground-truth file has images, categories and annotations");
  return document[name];
}

std::vector<std::int64_t> read_images(const json& images, const std::string& file) {
  std::vector<std::int64_t> ids;
  std::unordered_set<std::int64_t> seen;
  for (std::size_t n = 0; n < images.size(); ++n) {
    const std::string where = fmt::format("image #{}", n + 1);
    try {
      if (!images[n].is_object()) throw std::invalid_argument("is not an object");
      ids.push_back(integer(images[n], "id"));
    } catch (const std::exception& e) {
      throw InputError(file, where, e.what());
    }
    if (!seen.insert(ids.back()).second)
      throw InputError(file, fmt::format("image {}", ids.back()), "is listed twice");
  }
  return ids;
}

std::vector<Category> read_categories(const json& categories, const std::string& file) {
  std::vector<Category> found;
  std::unordered_set<std::int64_t> seen;
  for (std::size_t n = 0; n < categories.size(); ++n) {
    Category category;
    try {
      if (!categories[n].is_object()) throw std::invalid_argument("is not an object");
      category.id = integer(categories[n], "id");
      if (const auto name = categories[n].find("name"); name != categories[n].end())
        if (name->is_string()) category.name = name->get<std::string>();
    } catch (const std::exception& e) {
      throw InputError(file, fmt::format("category #{}", n + 1), e.what());
    }
    if (!seen.insert(category.id).second)
      throw InputError(file, fmt::format("category {}", category.id), "is listed twice");
    found.push_back(std::move(category));
  }
  return found;
}

struct KnownIds {
  std::unordered_set<std::int64_t> images, categories;

  explicit KnownIds(const GroundTruth& truth)
      : images(truth.image_ids.begin(), truth.image_ids.end()) {
    for (const Category& category : truth.categories) categories.insert(category.id);
  }
  void check(std::int64_t image_id, std::int64_t category_id) const {
    if (!images.count(image_id))
      throw std::invalid_argument(fmt::format("image_id {} is not in the images", image_id));
    if (!categories.count(category_id))
      throw std::invalid_argument(
          fmt::format("category_id {} is not in the categories", category_id));
  }
};

TruthObject read_truth_object(const json& annotation, IouType iou_type, const KnownIds& known,
                              std::size_t& keypoint_values) {
  TruthObject object;
  object.image_id = integer(annotation, "image_id");
  object.category_id = integer(annotation, "category_id");
  known.check(object.image_id, object.category_id);
  object.box = box_of(annotation);
  object.area = number(field(annotation, "area"), "'area'");
  if (const auto crowd = annotation.find("iscrowd"); crowd != annotation.end()) {
    if (!crowd->is_boolean() && !crowd->is_number_integer())
      throw std::invalid_argument("'iscrowd' is not 0 or 1");
    object.crowd = crowd->is_boolean() ? crowd->get<bool>() : crowd->get<std::int64_t>() != 0;
  }
  if (iou_type == IouType::keypoints) {
    object.keypoints = keypoints_of(annotation, keypoint_values);
    if (annotation.contains("num_keypoints")) {
      object.num_keypoints = int(integer(annotation, "num_keypoints"));
    } else {
      for (std::size_t i = 2; i < object.keypoints.size(); i += 3)
        object.num_keypoints += object.keypoints[i] > 0;
    }
  }
  return object;
}

}  // namespace

GroundTruth read_coco_truth(const std::filesystem::path& file, IouType iou_type) {
  return coco_truth(parse_file(file), iou_type, file.string());
}

std::vector<Detection> read_coco_results(const std::filesystem::path& file,
                                         const GroundTruth& truth, IouType iou_type) {
  return coco_results(parse_file(file), truth, iou_type, file.string());
}

GroundTruth coco_truth(const json& document, IouType iou_type, const std::string& file) {
  GroundTruth truth;
  truth.image_ids = read_images(array_field(document, "images", file), file);
  truth.categories = read_categories(array_field(document, "categories", file), file);
  const json& annotations = array_field(document, "annotations", file);
  const KnownIds known(truth);
  std::unordered_set<std::int64_t> ids;
  std::size_t keypoint_values = 0;
  for (std::size_t n = 0; n < annotations.size(); ++n) {
    const json& annotation = annotations[n];
    std::string where = fmt::format("annotation #{}", n + 1);
    try {
      if (!annotation.is_object()) throw std::invalid_argument("is not an object");
      const std::int64_t id = integer(annotation, "id");
      where = fmt::format("annotation {}", id);
      if (id < 1)
        throw std::invalid_argument("has an id below 1 (COCOeval reads a match to 0 as none)");
      if (!ids.insert(id).second) throw std::invalid_argument("is listed twice");
      truth.objects.push_back(read_truth_object(annotation, iou_type, known, keypoint_values));
      truth.objects.back().id = id;
    } catch (const std::exception& e) {
      throw InputError(file, where, e.what());
    }
  }
  return truth;
}

std::vector<Detection> coco_results(const json& document, const GroundTruth& truth,
                                    IouType iou_type, const std::string& file) {
  if (!document.is_array())
    throw InputError(file, "top level", "is not an array of results",
                     "a COCO results file is a list of {image_id, category_id, bbox or "
                     "keypoints, score}");
  const KnownIds known(truth);
  std::size_t keypoint_values = truth.objects.empty() ? 0 : truth.objects.front().keypoints.size();
  std::vector<Detection> detections;
  for (std::size_t n = 0; n < document.size(); ++n) {
    const json& result = document[n];
    try {
      if (!result.is_object()) throw std::invalid_argument("is not an object");
      const std::int64_t image_id = integer(result, "image_id");
      const std::int64_t category_id = integer(result, "category_id");
      known.check(image_id, category_id);
      const double score = number(field(result, "score"), "'score'");
      // loadRes: a result with a box has the box's area, one with keypoints only their extent.
      const bool has_box = result.contains("bbox") && !result["bbox"].empty();
      Detection detection = has_box || iou_type == IouType::bbox
                                ? box_detection(image_id, category_id, box_of(result), score)
                                : keypoint_detection(image_id, category_id,
                                                     keypoints_of(result, keypoint_values), score);
      if (iou_type == IouType::keypoints && detection.keypoints.empty())
        detection.keypoints = keypoints_of(result, keypoint_values);
      detections.push_back(std::move(detection));
    } catch (const std::exception& e) {
      throw InputError(file, fmt::format("result #{}", n + 1), e.what());
    }
  }
  return detections;
}

}  // namespace quarry::detect

#include "pool/coco_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"

namespace quarry::pool {

namespace {
using nlohmann::json;

// Reads one field of a COCO record; `what` names the record ("annotation 17") in messages.
class Record {
 public:
  Record(const json& value, std::string file, std::string what)
      : value_(value), file_(std::move(file)), what_(std::move(what)) {
    if (!value_.is_object()) fail("is not a JSON object");
  }
  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(file_, what_, problem);
  }
  bool has(const char* key) const { return value_.contains(key) && !value_[key].is_null(); }
  const json& need(const char* key) const {
    if (!has(key)) fail(fmt::format("has no \"{}\"", key));
    return value_[key];
  }
  double number(const char* key) const {
    const json& v = need(key);
    if (!v.is_number() || !std::isfinite(v.get<double>()))
      fail(fmt::format("\"{}\" is not a number", key));
    return v.get<double>();
  }
  std::int64_t integer(const char* key) const {
    const json& v = need(key);
    if (!v.is_number_integer()) fail(fmt::format("\"{}\" is not an integer", key));
    return v.get<std::int64_t>();
  }
  std::string text(const char* key) const {
    const json& v = need(key);
    if (!v.is_string()) fail(fmt::format("\"{}\" is not a string", key));
    return v.get<std::string>();
  }
  const json& array(const char* key) const {
    const json& v = need(key);
    if (!v.is_array()) fail(fmt::format("\"{}\" is not an array", key));
    return v;
  }
  const json& value() const { return value_; }

 private:
  const json& value_;
  std::string file_, what_;
};

json parse_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string(), "", "cannot be opened (missing or unreadable)");
  try {
    return json::parse(in);
  } catch (const json::parse_error& error) {
    throw InputError(path.string(), "", std::string("is not valid JSON: ") + error.what());
  }
}

const json& top_array(const json& doc, const std::string& file, const char* key) {
  if (!doc.is_object() || !doc.contains(key) || !doc[key].is_array())
    throw InputError(file, "", fmt::format("has no \"{}\" array: not a COCO annotations file", key),
                     "pool import --format coco reads COCO's instances or person_keypoints files");
  return doc[key];
}

std::vector<CocoImage> read_images(const json& doc, const std::string& file) {
  std::vector<CocoImage> images;
  std::unordered_map<std::uint64_t, std::size_t> seen;
  for (const json& value : top_array(doc, file, "images")) {
    Record record(value, file, "an image");
    const std::int64_t id = record.integer("id");
    Record image(value, file, fmt::format("image {}", id));
    if (id < 0) image.fail("has a negative id; pool item ids are COCO image ids (>= 0)");
    CocoImage item{static_cast<std::uint64_t>(id), image.text("file_name"), 0, 0};
    if (image.has("width") && image.has("height")) {
      const std::int64_t width = image.integer("width"), height = image.integer("height");
      if (width <= 0 || height <= 0)
        image.fail(fmt::format("has size {}x{}; sizes must be positive", width, height));
      item.width = static_cast<std::uint32_t>(width);
      item.height = static_cast<std::uint32_t>(height);
    }
    if (!seen.emplace(item.id, images.size()).second)
      image.fail("appears more than once in \"images\"; image ids must be unique");
    images.push_back(std::move(item));
  }
  return images;
}

std::vector<std::array<std::int32_t, 2>> read_skeleton(const Record& category, std::size_t k) {
  std::vector<std::array<std::int32_t, 2>> skeleton;
  if (!category.has("skeleton")) return skeleton;
  for (const json& edge : category.array("skeleton")) {
    if (!edge.is_array() || edge.size() != 2 || !edge[0].is_number_integer() ||
        !edge[1].is_number_integer())
      category.fail("\"skeleton\" holds an entry that is not a pair of keypoint numbers");
    const std::int64_t a = edge[0].get<std::int64_t>(), b = edge[1].get<std::int64_t>();
    // COCO numbers keypoints from 1 in skeletons.
    if (a < 1 || b < 1 || a > std::int64_t(k) || b > std::int64_t(k))
      category.fail(
          fmt::format("\"skeleton\" pair [{},{}] names a keypoint outside 1..{}", a, b, k));
    skeleton.push_back({std::int32_t(a - 1), std::int32_t(b - 1)});
  }
  return skeleton;
}

void read_categories(const json& doc, const std::string& file, CocoFile& coco) {
  for (const json& value : top_array(doc, file, "categories")) {
    const std::int64_t id = Record(value, file, "a category").integer("id");
    Record record(value, file, fmt::format("category {}", id));
    CocoCategory category{id, record.text("name"), {}, {}};
    if (record.has("keypoints"))
      for (const json& name : record.array("keypoints")) {
        if (!name.is_string()) record.fail("\"keypoints\" holds a name that is not a string");
        category.keypoints.push_back(name.get<std::string>());
      }
    category.skeleton = read_skeleton(record, category.keypoints.size());
    for (const CocoCategory& other : coco.categories)
      if (other.id == id) record.fail("appears more than once in \"categories\"");
    if (!category.keypoints.empty()) {
      // One pool has one set of keypoints: every category with keypoints must name the same.
      if (!coco.keypoint_names.empty() && coco.keypoint_names != category.keypoints)
        record.fail("names other keypoints than an earlier category; a pool has one set");
      coco.keypoint_names = category.keypoints;
      if (coco.skeleton.empty()) coco.skeleton = category.skeleton;
    }
    coco.categories.push_back(std::move(category));
  }
  if (coco.categories.empty()) throw InputError(file, "\"categories\"", "is empty");
  std::sort(coco.categories.begin(), coco.categories.end(),
            [](const CocoCategory& a, const CocoCategory& b) { return a.id < b.id; });
}

std::vector<float> read_keypoints(const Record& record, std::size_t k) {
  std::vector<float> keypoints;
  if (!record.has("keypoints")) {
    keypoints.assign(3 * k, 0.0f);  // a keypoint pool's object without keypoints: none labelled
    return keypoints;
  }
  const json& values = record.array("keypoints");
  if (values.size() != 3 * k)
    record.fail(fmt::format("has {} keypoint values; its category's {} keypoints need {} (x, y, v)",
                            values.size(), k, 3 * k));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_number()) record.fail(fmt::format("keypoint value {} is not a number", i));
    keypoints.push_back(values[i].get<float>());
  }
  for (std::size_t j = 0; j < k; ++j) {
    const float v = keypoints[3 * j + 2];
    if (v != 0 && v != 1 && v != 2)
      record.fail(fmt::format("keypoint {} has visibility {}, not 0, 1 or 2", j, v));
  }
  return keypoints;
}

CocoAnnotation read_annotation(const json& value, const std::string& file, const CocoFile& coco,
                               const std::unordered_map<std::uint64_t, std::size_t>& image_index) {
  const std::int64_t id = Record(value, file, "an annotation").integer("id");
  Record record(value, file, fmt::format("annotation {}", id));
  CocoAnnotation annotation;
  annotation.id = id;
  const std::int64_t image_id = record.integer("image_id");
  auto image = image_index.find(static_cast<std::uint64_t>(image_id));
  if (image_id < 0 || image == image_index.end())
    record.fail(fmt::format("has image_id {}, which is not among the images", image_id));
  annotation.image = image->second;
  const std::int64_t category_id = record.integer("category_id");
  auto category = std::find_if(coco.categories.begin(), coco.categories.end(),
                               [&](const CocoCategory& c) { return c.id == category_id; });
  if (category == coco.categories.end())
    record.fail(fmt::format("has category_id {}, which is not among the categories", category_id));
  annotation.label = static_cast<std::int32_t>(category - coco.categories.begin());
  const json& bbox = record.array("bbox");
  if (bbox.size() != 4 || !std::all_of(bbox.begin(), bbox.end(), [](const json& v) {
        return v.is_number() && std::isfinite(v.get<double>());
      }))
    record.fail("\"bbox\" is not four numbers [x, y, width, height]");
  for (int i = 0; i < 4; ++i) annotation.bbox[i] = bbox[i].get<double>();
  if (annotation.bbox[2] <= 0 || annotation.bbox[3] <= 0)
    record.fail(fmt::format("has bbox width {} and height {}; both must be positive",
                            annotation.bbox[2], annotation.bbox[3]));
  if (record.has("area")) {
    annotation.area = record.number("area");
    if (annotation.area < 0) record.fail(fmt::format("has negative area {}", annotation.area));
  }
  if (record.has("iscrowd")) {
    const std::int64_t crowd = record.integer("iscrowd");
    if (crowd != 0 && crowd != 1) record.fail(fmt::format("has iscrowd {}, not 0 or 1", crowd));
    annotation.crowd = crowd == 1;
  }
  if (!coco.keypoint_names.empty())
    annotation.keypoints = read_keypoints(record, coco.keypoint_names.size());
  const CocoImage& owner = coco.images[annotation.image];
  if (owner.width > 0) check_annotation_in_image(file, annotation, owner.width, owner.height);
  return annotation;
}

}  // namespace

void check_annotation_in_image(const std::string& file, const CocoAnnotation& annotation,
                               std::uint32_t width, std::uint32_t height) {
  const auto& b = annotation.bbox;
  const std::string what = fmt::format("annotation {}", annotation.id);
  if (b[0] < -kBorderSlack || b[1] < -kBorderSlack || b[0] + b[2] > width + kBorderSlack ||
      b[1] + b[3] > height + kBorderSlack || b[0] >= width || b[1] >= height)
    throw InputError(file, what,
                     fmt::format("has bbox [{}, {}, {}, {}], outside its {}x{} image", b[0], b[1],
                                 b[2], b[3], width, height));
  for (std::size_t k = 0; 3 * k < annotation.keypoints.size(); ++k) {
    const float* p = &annotation.keypoints[3 * k];
    if (p[2] > 0 && (p[0] < -kBorderSlack || p[1] < -kBorderSlack || p[0] > width + kBorderSlack ||
                     p[1] > height + kBorderSlack))
      throw InputError(file, what,
                       fmt::format("keypoint {} at ({}, {}) lies outside its {}x{} image", k, p[0],
                                   p[1], width, height));
  }
}

CocoFile read_coco_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  const json doc = parse_file(path);
  CocoFile coco;
  coco.images = read_images(doc, file);
  read_categories(doc, file, coco);
  std::unordered_map<std::uint64_t, std::size_t> image_index;
  for (std::size_t i = 0; i < coco.images.size(); ++i) image_index[coco.images[i].id] = i;
  std::unordered_set<std::int64_t> annotation_ids;
  for (const json& value : top_array(doc, file, "annotations")) {
    CocoAnnotation annotation = read_annotation(value, file, coco, image_index);
    if (!annotation_ids.insert(annotation.id).second)
      throw InputError(file, fmt::format("annotation {}", annotation.id),
                       "appears more than once; annotation ids must be unique");
    coco.annotations.push_back(std::move(annotation));
  }
  std::stable_sort(coco.annotations.begin(), coco.annotations.end(),
                   [](const CocoAnnotation& a, const CocoAnnotation& b) {
                     return a.image != b.image ? a.image < b.image : a.id < b.id;
                   });
  return coco;
}

}  // namespace quarry::pool

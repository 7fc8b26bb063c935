// COCO annotations JSON, as COCO tools save a dataset: `images` [{id, file_name, quarry_id}],
// `categories` [{id, name, keypoints: [names]}], `annotations` [{image_id, category_id, bbox
// [x, y, w, h], keypoints [x, y, v, ...], score}]. Every image listed is an answer, with the
// objects annotated on it (none: nothing there). The item is the image's quarry_id (quarry
// export writes it), else the one its file_name ("<id>.png") names.
#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "core/error.hpp"
#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/object_readers.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::ingest {

namespace {

struct Category {
  std::string name;
  std::vector<std::string> keypoints;
};

const nlohmann::json& list(const nlohmann::json& root, const char* name, const std::string& file) {
  const auto it = root.find(name);
  if (it == root.end() || !it->is_array())
    throw InputError(file, name, "is missing or not a list: not a COCO annotations file",
                     "ingest the annotations JSON the tool saved (instances or person_keypoints)");
  return *it;
}

std::map<std::string, Category> categories_of(const nlohmann::json& root, const std::string& file) {
  std::map<std::string, Category> categories;
  const auto& all = list(root, "categories", file);
  for (std::size_t c = 0; c < all.size(); ++c) {
    const std::string where = fmt::format("categories[{}]", c);
    const auto id = all[c].contains("id") ? json_label(all[c]["id"]) : std::nullopt;
    const auto name = string_field(all[c], "name", where + ".name");
    if (!id || !name) throw InputError(file, where, "has no id or no name");
    Category category{*name, {}};
    if (auto points = all[c].find("keypoints"); points != all[c].end() && points->is_array())
      for (const auto& point : *points)
        category.keypoints.push_back(json_label(point).value_or(""));
    categories[*id] = std::move(category);
  }
  return categories;
}

std::uint64_t item_of(const nlohmann::json& image) {
  if (auto id = image.find("quarry_id"); id != image.end()) {
    if (auto value = json_id(*id)) return *value;
    throw std::invalid_argument("quarry_id is not a non-negative integer");
  }
  const auto name = string_field(image, "file_name");
  if (!name) throw std::invalid_argument("has neither quarry_id nor file_name");
  return id_from_image_name(*name, false);
}

RecordObject object_of(const nlohmann::json& annotation, const Category& category,
                       const std::string& where) {
  const auto bbox = annotation.find("bbox");
  if (bbox == annotation.end() || !bbox->is_array() || bbox->size() != 4 ||
      !std::all_of(bbox->begin(), bbox->end(), [](const auto& v) { return v.is_number(); }))
    throw std::invalid_argument(where + ": bbox is not [x, y, width, height]");
  RecordObject object;
  const double x = (*bbox)[0], y = (*bbox)[1], w = (*bbox)[2], h = (*bbox)[3];
  object.box = {x, y, x + w, y + h};
  object.label = category.name;
  object.where = where;
  if (annotation.contains("score"))
    object.score = number_field(annotation, "score", where + ".score");
  const auto points = annotation.find("keypoints");
  if (points == annotation.end()) return object;
  if (!points->is_array() || points->size() != 3 * category.keypoints.size())
    throw std::invalid_argument(
        fmt::format("{}: keypoints do not hold x, y, v for the {} keypoints of {}", where,
                    category.keypoints.size(), category.name));
  for (std::size_t k = 0; k < category.keypoints.size(); ++k) {
    const auto& p = *points;
    if (!p[3 * k].is_number() || !p[3 * k + 1].is_number() || !p[3 * k + 2].is_number())
      throw std::invalid_argument(fmt::format("{}: keypoint {} is not numbers", where, k));
    const int v = p[3 * k + 2].get<int>();
    if (v == 0) continue;  // not labelled
    object.keypoints.push_back({category.keypoints[k], p[3 * k].get<double>(),
                                p[3 * k + 1].get<double>(), v == 1 ? 1 : 2});
  }
  return object;
}

}  // namespace

void read_coco_objects(const std::string& text, const std::string& annotator_option,
                       RecordSink& sink) {
  const std::string file = sink.file().string();
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file, text_position(text, json_parse_offset(text, e)), json_parse_problem(e),
                     "the file is not a complete COCO annotations JSON");
  }
  if (!root.is_object()) throw InputError(file, "top level", "is not a JSON object: not COCO");
  std::string annotator = annotator_option;
  if (annotator.empty() && root.contains("info"))
    annotator = string_field(root["info"], "contributor").value_or("");
  if (annotator.empty())
    throw InputError(file, "info.contributor", "names no annotator", "pass --annotator NAME");
  const auto categories = categories_of(root, file);
  std::map<std::string, std::vector<const nlohmann::json*>> by_image;
  for (const auto& annotation : list(root, "annotations", file))
    if (annotation.contains("image_id"))
      if (auto image = json_label(annotation["image_id"])) by_image[*image].push_back(&annotation);
  const auto& images = list(root, "images", file);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const std::string where = fmt::format("images[{}]", i);
    read_record(sink, where, [&] {
      const auto image_id = images[i].contains("id") ? json_label(images[i]["id"]) : std::nullopt;
      if (!image_id) throw std::invalid_argument("has no id");
      AnnotationRecord record{item_of(images[i]), annotator, "", where, 0, {}};
      for (const auto* annotation : by_image[*image_id]) {
        const std::string at = fmt::format("{}, annotation {}", where, annotation->value("id", 0));
        const auto category = annotation->contains("category_id")
                                  ? json_label((*annotation)["category_id"])
                                  : std::nullopt;
        if (!category || !categories.contains(*category))
          throw std::invalid_argument(at + ": category_id names no category");
        record.objects.push_back(object_of(*annotation, categories.at(*category), at));
      }
      sink.add(std::move(record));
    });
  }
}

}  // namespace quarry::ingest

// CVAT for images 1.1 shapes of one <image>: <box label xtl ytl xbr ybr group_id>, <points
// label points="x,y" occluded group_id> directly in the image or inside a <skeleton group_id>
// whose <points> carry outside="1" for a keypoint not placed. A point's label is the keypoint's
// name; occluded="1" is COCO visibility 1.
#include <fmt/format.h>

#include <limits>
#include <map>
#include <stdexcept>

#include "ingest/readers/object_readers.hpp"

namespace quarry::ingest {

namespace {

double coordinate(const pugi::xml_node& shape, const char* name, const std::string& where) {
  const auto attribute = shape.attribute(name);
  if (!attribute) throw std::invalid_argument(fmt::format("{}: has no {}", where, name));
  return attribute.as_double(std::numeric_limits<double>::quiet_NaN());
}

std::string where_of(const pugi::xml_node& node, const std::string& text) {
  const auto offset = node.offset_debug();
  return fmt::format("<{} label=\"{}\"> at {}", node.name(), node.attribute("label").as_string(),
                     offset < 0 ? std::string("?") : text_position(text, std::size_t(offset)));
}

RecordKeypoint point_of(const pugi::xml_node& points, const std::string& where) {
  const std::string xy = points.attribute("points").as_string();
  const auto comma = xy.find(',');
  if (comma == std::string::npos || xy.find(';') != std::string::npos)
    throw std::invalid_argument(fmt::format("{}: points=\"{}\" is not one x,y", where, xy));
  RecordKeypoint p;
  p.name = points.attribute("label").as_string();
  try {
    p.x = std::stod(xy.substr(0, comma));
    p.y = std::stod(xy.substr(comma + 1));
  } catch (const std::exception&) {
    throw std::invalid_argument(fmt::format("{}: points=\"{}\" are not numbers", where, xy));
  }
  p.visibility = points.attribute("occluded").as_int(0) == 1 ? 1 : 2;
  return p;
}

// The keypoints of `parent` (an <image> or a <skeleton>) into the box of their group.
void add_points(const pugi::xml_node& parent, long group, std::map<long, std::size_t>& by_group,
                std::vector<RecordObject>& objects, const std::string& text) {
  for (const auto& points : parent.children("points")) {
    const std::string where = where_of(points, text);
    if (points.attribute("outside").as_int(0) == 1) continue;  // a skeleton's point not placed
    const long own = group != 0 ? group : points.attribute("group_id").as_llong(0);
    const auto box = by_group.find(own);
    if (own == 0 || box == by_group.end())
      throw std::invalid_argument(fmt::format(
          "{}: is a keypoint without its object (no <box> shares its group_id)", where));
    objects[box->second].keypoints.push_back(point_of(points, where));
  }
}

}  // namespace

std::vector<RecordObject> cvat_image_objects(const pugi::xml_node& image, const std::string& text) {
  std::vector<RecordObject> objects;
  std::map<long, std::size_t> by_group;
  for (const auto& box : image.children("box")) {
    RecordObject object;
    object.where = where_of(box, text);
    object.label = box.attribute("label").as_string();
    object.box = {coordinate(box, "xtl", object.where), coordinate(box, "ytl", object.where),
                  coordinate(box, "xbr", object.where), coordinate(box, "ybr", object.where)};
    if (const long group = box.attribute("group_id").as_llong(0); group != 0) {
      if (by_group.contains(group))
        throw std::invalid_argument(
            fmt::format("{}: shares group_id {} with another box", object.where, group));
      by_group[group] = objects.size();
    }
    objects.push_back(std::move(object));
  }
  add_points(image, 0, by_group, objects, text);
  for (const auto& skeleton : image.children("skeleton")) {
    const long group = skeleton.attribute("group_id").as_llong(0);
    if (group == 0)
      throw std::invalid_argument(
          fmt::format("{}: is a skeleton without its object (no group_id ties it to a <box>)",
                      where_of(skeleton, text)));
    add_points(skeleton, group, by_group, objects, text);
  }
  return objects;
}

}  // namespace quarry::ingest

// CVAT for images 1.1 pre-labels of pools with objects, as CVAT's own "CVAT for images" export
// writes shapes: <box label source occluded xtl ytl xbr ybr z_order>, <points label source
// occluded points="x,y" z_order>, and for pools with a skeleton <skeleton label source z_order>
// holding one <points label source outside occluded points> per keypoint. An object's box and
// keypoints share a group_id (1, 2, ... per image), which ties them together on the way back.
#include <fmt/format.h>

#include <cmath>

#include "export/object_writers.hpp"

namespace quarry::exporting {

namespace {

pugi::xml_node add_label(pugi::xml_node labels, const std::string& name, const char* type) {
  pugi::xml_node label = labels.append_child("label");
  label.append_child("name").text() = name.c_str();
  label.append_child("type").text() = type;
  label.append_child("attributes");
  return label;
}

// CVAT draws a skeleton label from an SVG of its points (circles) and edges (lines): the points
// on a circle, since the pool names no layout.
std::string skeleton_svg(const pool::TaskInfo& task) {
  std::string svg;
  const std::size_t k = task.keypoints();
  auto at = [&](std::size_t j, bool y) {
    const double angle = 6.283185307179586 * double(j) / double(k);
    return 50 + 35 * (y ? std::sin(angle) : std::cos(angle));
  };
  for (const auto& [a, b] : task.skeleton)
    svg += fmt::format(
        R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="black" )"
        R"(data-type="edge" data-node-from="{}" data-node-to="{}" stroke-width="0.5"></line>)",
        at(a, false), at(a, true), at(b, false), at(b, true), a + 1, b + 1);
  for (std::size_t j = 0; j < k; ++j)
    svg += fmt::format(
        R"(<circle r="1.5" stroke="black" fill="#b3b3b3" cx="{:.1f}" cy="{:.1f}" )"
        R"(stroke-width="0.1" data-type="element node" data-element-id="{}" data-node-id="{}" )"
        R"(data-label-name="{}"></circle>)",
        at(j, false), at(j, true), j + 1, j + 1, task.keypoint_names[j]);
  return svg;
}

std::string point_text(double x, double y) {
  return fmt::format("{:.2f},{:.2f}", x, y);
}

void add_shape_basics(pugi::xml_node shape, const std::string& label) {
  shape.append_attribute("label") = label.c_str();
  shape.append_attribute("source") = "auto";
}

}  // namespace

void add_cvat_object_labels(const ExportBatch& batch, pugi::xml_node labels) {
  for (const std::string& name : batch.classes) add_label(labels, name, "rectangle");
  if (batch.task.keypoints() == 0) return;
  if (batch.task.skeleton.empty()) {
    for (const std::string& name : batch.task.keypoint_names) add_label(labels, name, "points");
    return;
  }
  add_label(labels, kCvatSkeletonLabel, "skeleton").append_child("svg").text() =
      skeleton_svg(batch.task).c_str();
  for (const std::string& name : batch.task.keypoint_names)
    add_label(labels, name, "points").append_child("parent").text() = kCvatSkeletonLabel;
}

void add_cvat_objects(const ExportBatch& batch, const ExportTask& task, pugi::xml_node image) {
  const bool skeleton = !batch.task.skeleton.empty();
  for (std::size_t n = 0; n < task.objects.size(); ++n) {
    const ObjectPreLabel& object = task.objects[n];
    const unsigned long long group = n + 1;
    pugi::xml_node box = image.append_child("box");
    add_shape_basics(box, batch.classes[object.class_index]);
    box.append_attribute("occluded") = 0;
    const char* corners[4] = {"xtl", "ytl", "xbr", "ybr"};
    for (int c = 0; c < 4; ++c)
      box.append_attribute(corners[c]) = fmt::format("{:.2f}", object.box[c]).c_str();
    box.append_attribute("z_order") = 0;
    box.append_attribute("group_id") = group;
    if (batch.task.keypoints() == 0) continue;
    pugi::xml_node parent = image;
    if (skeleton) {
      parent = image.append_child("skeleton");
      add_shape_basics(parent, kCvatSkeletonLabel);
      parent.append_attribute("z_order") = 0;
      parent.append_attribute("group_id") = group;
    }
    for (std::size_t j = 0; j < batch.task.keypoints(); ++j) {
      const double* kp = &object.keypoints[3 * j];
      // Outside the skeleton a point that is not labelled is simply not drawn.
      if (!skeleton && kp[2] == pool::kNotLabelled) continue;
      pugi::xml_node point = parent.append_child("points");
      add_shape_basics(point, batch.task.keypoint_names[j]);
      if (skeleton) point.append_attribute("outside") = kp[2] == pool::kNotLabelled ? 1 : 0;
      point.append_attribute("occluded") = kp[2] == pool::kLabelledHidden ? 1 : 0;
      point.append_attribute("points") = point_text(kp[0], kp[1]).c_str();
      if (!skeleton) {
        point.append_attribute("z_order") = 0;
        point.append_attribute("group_id") = group;
      }
    }
  }
}

}  // namespace quarry::exporting

// CVAT: "CVAT for images 1.1" XML, the classes as tag labels in <meta>, one <image> per item
// named images/<id>.png with the prediction as an automatic <tag>. With annotators, one file
// per person (their items, <assignee> set) and the list of their image files, for a CVAT task
// per person. Pools with objects get boxes and keypoints instead of tags (cvat_objects.cpp).
#include <pugixml.hpp>

#include <sstream>

#include "export/object_writers.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

namespace {

std::string annotations_xml(const ExportBatch& batch, const std::vector<std::size_t>& tasks,
                            const std::string& assignee) {
  pugi::xml_document doc;
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "utf-8";
  pugi::xml_node root = doc.append_child("annotations");
  root.append_child("version").text() = "1.1";
  pugi::xml_node task = root.append_child("meta").append_child("task");
  task.append_child("name").text() = assignee.empty() ? "quarry export" : assignee.c_str();
  task.append_child("size").text() = static_cast<unsigned long long>(tasks.size());
  task.append_child("mode").text() = "annotation";
  task.append_child("overlap").text() = 0;
  pugi::xml_node labels = task.append_child("labels");
  if (batch.has_objects()) add_cvat_object_labels(batch, labels);
  for (std::size_t c = 0; !batch.has_objects() && c < batch.classes.size(); ++c) {
    pugi::xml_node label = labels.append_child("label");
    label.append_child("name").text() = batch.classes[c].c_str();
    label.append_child("type").text() = "tag";
    label.append_child("attributes");
  }
  if (!assignee.empty())
    task.append_child("assignee").append_child("username").text() = assignee.c_str();
  for (std::size_t n = 0; n < tasks.size(); ++n) {
    const ExportTask& item = batch.tasks[tasks[n]];
    pugi::xml_node image = root.append_child("image");
    image.append_attribute("id") = static_cast<unsigned long long>(n);
    image.append_attribute("name") = item.file.c_str();
    if (batch.has_objects()) {
      image.append_attribute("width") = item.shown.width;
      image.append_attribute("height") = item.shown.height;
      add_cvat_objects(batch, item, image);
      continue;
    }
    image.append_attribute("width") = batch.image.width;
    image.append_attribute("height") = batch.image.height;
    for (const PreLabel& prelabel : item.prelabels) {
      if (prelabel.kind != PreLabel::Kind::choice) continue;
      pugi::xml_node tag = image.append_child("tag");
      tag.append_attribute("label") = batch.classes[prelabel.class_index].c_str();
      tag.append_attribute("source") = "auto";
    }
  }
  std::ostringstream text;
  doc.save(text, "  ", pugi::format_default);
  return text.str();
}

}  // namespace

void write_cvat(const ExportBatch& batch, OutputFolder& out) {
  const std::vector<std::size_t> all = all_tasks(batch);
  out.write("cvat/annotations.xml", annotations_xml(batch, all, ""));
  for (std::uint32_t a = 0; a < batch.annotators.size(); ++a) {
    const std::string& name = batch.annotators[a];
    const auto tasks = tasks_of_annotator(batch, a);
    out.write("cvat/annotators/" + name + ".xml", annotations_xml(batch, tasks, name));
    std::string files;
    for (std::size_t t : tasks) files += batch.tasks[t].file + "\n";
    out.write("cvat/annotators/" + name + ".txt", files);
  }
}

}  // namespace quarry::exporting

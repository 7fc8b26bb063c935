// COCO in the layout of CVAT's "COCO 1.0" export, which datumaro and CVAT import as a dataset:
// coco/annotations/instances_default.json with the images under coco/images/default/ (hard links
// to images/<id>.png, so no pixel is stored twice). The pre-label is a whole-image annotation
// with the fields the cocoapi needs to build its mask: bbox, area, iscrowd and the box as a
// polygon (pycocotools' annToMask fails on an empty segmentation). Image records carry the
// quarry id next to COCO's own sequential id. Pools with objects (coco_objects.cpp) get their
// detections instead: categories with keypoints and skeleton, one annotation per pre-label
// (person_keypoints_default.json for keypoint pools, as CVAT's "COCO Keypoints 1.0" names it),
// and the same pre-labels as a COCO results list in coco/prelabels.json.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/version.hpp"
#include "export/object_writers.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

namespace {

// One subset, named as CVAT and datumaro name a task's only subset.
constexpr const char* kSubset = "default";

nlohmann::json whole_image_annotation(const ExportBatch& batch, const ExportTask& task,
                                      const PreLabel& label, std::size_t id, std::size_t image_id) {
  const double width = batch.image.width, height = batch.image.height;
  // The image's outline, clockwise from the top left: COCO polygons are flat x,y lists.
  const nlohmann::json outline = {0.0, 0.0, width, 0.0, width, height, 0.0, height};
  return {{"id", id},
          {"image_id", image_id},
          {"category_id", label.class_index + 1},
          {"bbox", {0.0, 0.0, width, height}},
          {"area", width * height},
          {"iscrowd", 0},
          {"segmentation", nlohmann::json::array({outline})},
          {"score", label.probability},
          {"quarry_id", task.id}};
}

// file_name, relative to the subset's image folder: "<id>.png".
std::string coco_image_name(const ExportTask& task) {
  return std::filesystem::path(task.file).filename().string();
}

}  // namespace

void write_coco(const ExportBatch& batch, OutputFolder& out) {
  nlohmann::json images = nlohmann::json::array();
  nlohmann::json annotations = nlohmann::json::array();
  nlohmann::json results = nlohmann::json::array();
  nlohmann::json categories = nlohmann::json::array();
  for (std::size_t c = 0; c < batch.classes.size(); ++c)
    categories.push_back({{"id", c + 1}, {"name", batch.classes[c]}, {"supercategory", "class"}});
  if (batch.has_objects()) categories = coco_object_categories(batch);
  const std::string image_folder = std::string("coco/images/") + kSubset + "/";
  for (std::size_t n = 0; n < batch.tasks.size(); ++n) {
    const ExportTask& task = batch.tasks[n];
    const std::size_t image_id = n + 1;  // COCO ids start at 1: some readers treat 0 as unset
    out.link(task.file, image_folder + coco_image_name(task));
    const bool objects = batch.has_objects();
    images.push_back({{"id", image_id},
                      {"file_name", coco_image_name(task)},
                      {"width", objects ? task.shown.width : batch.image.width},
                      {"height", objects ? task.shown.height : batch.image.height},
                      {"quarry_id", task.id}});
    if (objects) add_coco_objects(task, image_id, annotations, results);
    for (const PreLabel& label : task.prelabels)
      if (label.kind == PreLabel::Kind::choice)
        annotations.push_back(
            whole_image_annotation(batch, task, label, annotations.size() + 1, image_id));
  }
  nlohmann::json doc = {{"info",
                         {{"description", "quarry export: items chosen for labeling"},
                          {"version", std::string(version())},
                          {"contributor", "quarry"},
                          {"model_version", batch.model_version}}},
                        {"licenses", nlohmann::json::array()},
                        {"images", std::move(images)},
                        {"annotations", std::move(annotations)},
                        {"categories", std::move(categories)}};
  const bool keypoints = batch.task.keypoints() > 0;
  out.write(std::string("coco/annotations/") + (keypoints ? "person_keypoints_" : "instances_") +
                kSubset + ".json",
            doc.dump(1) + "\n");
  if (batch.has_objects()) out.write("coco/prelabels.json", results.dump(1) + "\n");
}

}  // namespace quarry::exporting

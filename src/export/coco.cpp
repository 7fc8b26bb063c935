// COCO: images, categories and annotations, the pre-label as a whole-image annotation with the
// fields common readers (pycocotools, CVAT, FiftyOne) require: bbox, area, iscrowd and an empty
// segmentation list. Image records carry the quarry id next to COCO's own sequential id.
#include <nlohmann/json.hpp>

#include "core/version.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

void write_coco(const ExportBatch& batch, OutputFolder& out) {
  nlohmann::json images = nlohmann::json::array();
  nlohmann::json annotations = nlohmann::json::array();
  nlohmann::json categories = nlohmann::json::array();
  for (std::size_t c = 0; c < batch.classes.size(); ++c)
    categories.push_back({{"id", c + 1}, {"name", batch.classes[c]}, {"supercategory", "class"}});
  const double width = batch.image.width, height = batch.image.height;
  for (std::size_t n = 0; n < batch.tasks.size(); ++n) {
    const ExportTask& task = batch.tasks[n];
    const std::size_t image_id = n + 1;  // COCO ids start at 1: some readers treat 0 as unset
    images.push_back({{"id", image_id},
                      {"file_name", task.file},
                      {"width", batch.image.width},
                      {"height", batch.image.height},
                      {"quarry_id", task.id}});
    for (const PreLabel& label : task.prelabels) {
      if (label.kind != PreLabel::Kind::choice) continue;
      annotations.push_back({{"id", annotations.size() + 1},
                             {"image_id", image_id},
                             {"category_id", label.class_index + 1},
                             {"bbox", {0.0, 0.0, width, height}},
                             {"area", width * height},
                             {"iscrowd", 0},
                             {"segmentation", nlohmann::json::array()},
                             {"score", label.probability},
                             {"quarry_id", task.id}});
    }
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
  out.write("coco/annotations.json", doc.dump(1) + "\n");
}

}  // namespace quarry::exporting

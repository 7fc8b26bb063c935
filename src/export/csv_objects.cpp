// CSV pre-labels of pools with objects: one row per object, its box corners and each keypoint's
// x, y and visibility as columns, in pixels of the image the annotator sees (images/<id>.png).
#include <fmt/format.h>

#include "export/object_writers.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

std::string csv_objects_header(const ExportBatch& batch) {
  std::string header = "id,file,object,class,x0,y0,x1,y1,score";
  for (const std::string& name : batch.task.keypoint_names)
    header += fmt::format(",{0}_x,{0}_y,{0}_v", csv_field(name));
  return header + "\n";
}

std::string csv_object_rows(const ExportBatch& batch, const ExportTask& task) {
  std::string rows;
  for (std::size_t n = 0; n < task.objects.size(); ++n) {
    const ObjectPreLabel& object = task.objects[n];
    const auto& b = object.box;
    rows += fmt::format("{},{},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g}", task.id,
                        csv_field(task.file), n, csv_field(batch.classes[object.class_index]), b[0],
                        b[1], b[2], b[3], object.confidence);
    for (std::size_t j = 0; j < object.keypoints.size(); j += 3)
      rows += fmt::format(",{:.9g},{:.9g},{}", object.keypoints[j], object.keypoints[j + 1],
                          static_cast<int>(object.keypoints[j + 2]));
    rows += "\n";
  }
  return rows;
}

}  // namespace quarry::exporting

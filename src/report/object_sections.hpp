#pragma once
// The report sections about a scored pool with objects (detection and keypoint pools) and the
// batch chosen from it: the per-detection confidence histogram, the class mix of the detected
// objects, and the batch's thumbnails with the pre-labels drawn over them (object_overlay.hpp).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "report/html_page.hpp"

namespace quarry::score {
class ScoresFile;
}

namespace quarry::report {

struct ObjectBatch {
  std::vector<std::uint64_t> rows;  // the batch's scores rows, in pick order
  std::vector<std::uint64_t> ids;   // their item ids
  std::filesystem::path pool;       // where the thumbnails' pixels are
  int thumbnails = 48;
  int bins = 30;
  double prelabel_min_confidence = 0;  // the export's: detections below were not pre-labels
};

void add_object_batch_sections(HtmlPage& page, const score::ScoresFile& scores,
                               const ObjectBatch& batch);

}  // namespace quarry::report

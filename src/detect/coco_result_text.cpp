// format_result(): the evaluation as `quarry eval` prints it for people.
#include <fmt/format.h>

#include "detect/coco_eval.hpp"

namespace quarry::detect {

std::string format_result(const Result& result) {
  const auto& names = stat_names(result.iou_type);
  const auto& descriptions = stat_descriptions(result.iou_type);
  std::string text =
      fmt::format("COCO evaluation ({}): {} images, {} truth objects, {} detections\n",
                  iou_type_name(result.iou_type), result.images, result.truths, result.detections);
  for (std::size_t i = 0; i < result.stats.size(); ++i)
    text += fmt::format("  {:<6} {:<44} {:6.3f}\n", names[i], descriptions[i], result.stats[i]);
  const std::size_t recall = recall_stat(result.iou_type);
  text += fmt::format("  {:<24} {:>6} {:>6}\n", "category", "AP", names[recall]);
  for (const CategoryResult& category : result.per_category)
    text +=
        fmt::format("  {:<24} {:6.3f} {:6.3f}\n", fmt::format("{} {}", category.id, category.name),
                    category.stats[0], category.stats[recall]);
  text += "  (-1: no ground truth to measure against, as COCOeval)\n";
  return text;
}

}  // namespace quarry::detect

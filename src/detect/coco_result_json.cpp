// to_json(): the evaluation result as `quarry eval --json` prints it.
#include <nlohmann/json.hpp>

#include "detect/coco_eval.hpp"

namespace quarry::detect {

namespace {

nlohmann::json named_stats(const std::vector<double>& stats, IouType iou_type) {
  nlohmann::json named = nlohmann::json::object();
  const std::vector<std::string>& names = stat_names(iou_type);
  for (std::size_t i = 0; i < stats.size() && i < names.size(); ++i) named[names[i]] = stats[i];
  return named;
}

}  // namespace

nlohmann::json to_json(const Result& result) {
  nlohmann::json categories = nlohmann::json::array();
  for (const CategoryResult& category : result.per_category)
    categories.push_back({{"id", category.id},
                          {"name", category.name},
                          {"AP", category.stats.at(0)},
                          {"AR", category.stats.at(recall_stat(result.iou_type))},
                          {"stats", named_stats(category.stats, result.iou_type)}});
  return {{"iou_type", iou_type_name(result.iou_type)},
          {"stats", named_stats(result.stats, result.iou_type)},
          {"stats_list", result.stats},
          {"iou_thresholds", result.iou_thresholds},
          {"ap_per_iou", result.ap_per_iou},
          {"recall_per_iou", result.recall_per_iou},
          {"per_category", categories},
          {"images", result.images},
          {"truths", result.truths},
          {"detections", result.detections}};
}

}  // namespace quarry::detect

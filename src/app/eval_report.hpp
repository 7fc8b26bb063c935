#pragma once
// How `quarry eval` and `quarry train --eval-pool` print an evaluation: JSON or a table.
#include <nlohmann/json.hpp>
#include <string>

#include "train/trainer.hpp"

namespace quarry::app {

nlohmann::json eval_json(const train::EvalResult& result);
std::string format_eval_table(const train::EvalResult& result);
// COCO's statistics with their descriptions and AP per class: boxes, then keypoints.
std::string format_detection_table(const train::DetectionEvalResult& result);

}  // namespace quarry::app

#pragma once
// How `quarry eval` and `quarry train --eval-pool` print an evaluation: JSON or a table.
#include <nlohmann/json.hpp>
#include <string>

#include "train/trainer.hpp"

namespace quarry::app {

nlohmann::json eval_json(const train::EvalResult& result);
std::string format_eval_table(const train::EvalResult& result);

}  // namespace quarry::app

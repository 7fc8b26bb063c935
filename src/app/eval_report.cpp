#include "app/eval_report.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace quarry::app {

nlohmann::json eval_json(const train::EvalResult& r) {
  nlohmann::json per_class = nlohmann::json::object();
  for (std::size_t c = 0; c < r.classes.size(); ++c) per_class[r.classes[c]] = r.class_accuracy[c];
  return {{"items", r.items},
          {"accuracy", r.accuracy},
          {"expected_calibration_error", r.calibration_error},
          {"class_accuracy", per_class},
          {"classes", r.classes},
          {"confusion", r.confusion}};
}

std::string format_eval_table(const train::EvalResult& r) {
  std::string text = fmt::format("accuracy {:.4f} on {} items, expected calibration error {:.4f}\n",
                                 r.accuracy, r.items, r.calibration_error);
  std::size_t width = 5;
  for (const auto& name : r.classes) width = std::max(width, name.size());
  text += fmt::format("{:<{}}  {:>8}  confusion (rows: truth, columns: predicted)\n", "class",
                      width, "accuracy");
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    text += fmt::format("{:<{}}  {:>8.4f} ", r.classes[c], width, r.class_accuracy[c]);
    for (auto count : r.confusion[c]) text += fmt::format(" {:>6}", count);
    text += "\n";
  }
  return text;
}

std::string format_detection_table(const train::DetectionEvalResult& r) {
  std::string text = fmt::format("{} items\n", r.items) + detect::format_result(r.boxes);
  if (r.keypoints) text += detect::format_result(*r.keypoints);
  return text;
}

}  // namespace quarry::app

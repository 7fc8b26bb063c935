#include "simulate/annotator_time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "core/error.hpp"
#include "core/parse_number.hpp"

namespace quarry::simulate {

namespace {

// The settings by the key --annotator-seconds and the simulation's settings.json use.
std::vector<std::pair<const char*, double TimeModel::*>> time_fields() {
  return {{"draw", &TimeModel::draw_box_s},     {"verify", &TimeModel::verify_box_s},
          {"image", &TimeModel::image_s},       {"extreme", &TimeModel::extreme_clicking_s},
          {"adjust", &TimeModel::adjust_box_s}, {"delete", &TimeModel::delete_box_s},
          {"keypoint", &TimeModel::keypoint_s}};
}

}  // namespace

Actions& Actions::operator+=(const Actions& o) {
  kept += o.kept, adjusted += o.adjusted, deleted += o.deleted, drawn += o.drawn;
  keypoints += o.keypoints;
  return *this;
}

double answer_seconds(const Actions& a, const TimeModel& m) {
  return m.image_s + double(a.kept) * m.verify_box_s + double(a.adjusted) * m.adjust_box_s +
         double(a.deleted) * m.delete_box_s + double(a.drawn) * m.drawn_box_s() +
         double(a.keypoints) * m.keypoint_s;
}

BoxDrawing parse_box_drawing(const std::string& name) {
  if (name == "drag") return BoxDrawing::drag;
  if (name == "extreme-clicking") return BoxDrawing::extreme_clicking;
  throw UsageError(fmt::format("--box-drawing '{}' is neither drag nor extreme-clicking", name));
}

std::string box_drawing_name(BoxDrawing drawing) {
  return drawing == BoxDrawing::drag ? "drag" : "extreme-clicking";
}

TimeModel parse_time_model(const std::string& text, TimeModel model) {
  std::stringstream in(text);
  std::string item;
  const auto fields = time_fields();
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    const auto equals = item.find('=');
    const std::string key = item.substr(0, equals);
    const auto field =
        std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return key == f.first; });
    if (equals == std::string::npos || field == fields.end())
      throw UsageError(fmt::format("--annotator-seconds: '{}' is not KEY=SECONDS", item),
                       "keys: draw, verify, image, extreme, adjust, delete, keypoint");
    const std::string value = item.substr(equals + 1);
    const auto seconds = parse_double(value);
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
      throw UsageError(
          fmt::format("--annotator-seconds: {} '{}' is not a number of seconds >= 0", key, value));
    model.*(field->second) = *seconds;
  }
  return model;
}

nlohmann::json time_model_json(const TimeModel& model) {
  nlohmann::json json = {{"box_drawing", box_drawing_name(model.drawing)}};
  for (const auto& [key, field] : time_fields()) json[key] = model.*field;
  return json;
}

}  // namespace quarry::simulate

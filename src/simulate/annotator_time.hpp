#pragma once
// How long simulated annotators take on pools with objects. Every figure is a setting with a
// published default (README, "quarry simulate", says where each comes from); an answer's seconds
// follow from what its annotator did: each pre-label kept (verified), adjusted or deleted, each
// box drawn, each keypoint placed, plus a per-image look for anything missed.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace quarry::simulate {

// How boxes are drawn where there is no pre-label: dragging a box (Su et al. 2012) or clicking
// the object's four extreme points (Papadopoulos et al. 2017).
enum class BoxDrawing { drag, extreme_clicking };

struct TimeModel {
  // Su, Deng and Fei-Fei 2012 (ILSVRC boxes on Mechanical Turk): drawing one box 25.5 s,
  // verifying one box 9.0 s, checking an image for missed objects (coverage) 7.8 s (the figures
  // Papadopoulos et al. 2016 and 2017 quote; 25.5 + 9.0 = 34.5 s per box the traditional way).
  double draw_box_s = 25.5;
  double verify_box_s = 9.0;
  double image_s = 7.8;
  // Papadopoulos, Uijlings, Keller and Ferrari 2017: 7.0 s per box by extreme clicking.
  double extreme_clicking_s = 7.0;
  // An adjusted pre-label is looked at as a verification is, then its box redone by extreme
  // clicking at most (9.0 + 7.0): an upper bound, so the saving pre-labels show is not flattered.
  double adjust_box_s = 16.0;
  // A false pre-label is found by the verification look and removed with one key.
  double delete_box_s = 9.0;
  // One precise click: an extreme click's share of the 7.0 s (Papadopoulos et al. 2017), 1.75 s.
  double keypoint_s = 1.75;
  BoxDrawing drawing = BoxDrawing::drag;

  double drawn_box_s() const {
    return drawing == BoxDrawing::drag ? draw_box_s : extreme_clicking_s;
  }
  bool operator==(const TimeModel&) const = default;
};

// What one annotator did on one image.
struct Actions {
  std::int64_t kept = 0, adjusted = 0, deleted = 0, drawn = 0, keypoints = 0;

  Actions& operator+=(const Actions& other);
  bool operator==(const Actions&) const = default;
};

// The seconds of one image's answer: image_s + every action at its price.
double answer_seconds(const Actions& actions, const TimeModel& model);

// "drag" | "extreme-clicking" (UsageError naming --box-drawing otherwise), and back.
BoxDrawing parse_box_drawing(const std::string& name);
std::string box_drawing_name(BoxDrawing drawing);

// "draw=25.5,verify=9,..." overrides of the defaults, keys as in time_model_json; UsageError
// naming --annotator-seconds and the key otherwise.
TimeModel parse_time_model(const std::string& text, TimeModel model = {});
nlohmann::json time_model_json(const TimeModel& model);

}  // namespace quarry::simulate

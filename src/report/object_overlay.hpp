#pragma once
// Pre-labels drawn over a thumbnail: an inline SVG of the item's detections (class-coloured boxes
// with class name and confidence, keypoints as dots joined by the pool's skeleton) in the
// thumbnail's own pixels, laid exactly over its <img>. Plain SVG, no script, so the report stays
// one static file.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "report/thumbnails.hpp"

namespace quarry::report {

struct DrawnDetection {
  std::array<float, 4> box{};  // x0, y0, x1, y1 in stored pixels
  std::int32_t label = 0;
  float confidence = 0;
  std::vector<float> keypoints;  // K*3: x, y, confidence (stored pixels); empty for boxes only
};

struct OverlayStyle {
  std::vector<std::string> class_names;
  std::vector<std::string> keypoint_names;            // K, for the dots' tooltips
  std::vector<std::array<std::int32_t, 2>> skeleton;  // keypoint index pairs, may be empty
  ShownSize shown;
};

// <svg class="prelabels" ...> over a shown.width x shown.height thumbnail. Each detection is a
// <g class="prelabel" data-label=...> holding <rect class="box">, its caption and, where it has
// keypoints, <line class="bone"> and <circle class="keypoint"> elements. Outside the image it is
// clipped by the SVG's own viewport.
std::string object_overlay(const std::vector<DrawnDetection>& detections,
                           const OverlayStyle& style);

}  // namespace quarry::report

#include "detect/box.hpp"

#include <algorithm>

namespace quarry::detect {

Box from_corners(double x0, double y0, double x1, double y1) {
  return {x0, y0, x1 - x0, y1 - y0};
}

double iou(const Box& detection, const Box& truth, bool truth_is_crowd) {
  // The operation order is bbIou's: overlap from the right edges x+w, not from stored corners.
  const double w =
      std::min(detection.x + detection.w, truth.x + truth.w) - std::max(detection.x, truth.x);
  if (w <= 0) return 0;
  const double h =
      std::min(detection.y + detection.h, truth.y + truth.h) - std::max(detection.y, truth.y);
  if (h <= 0) return 0;
  const double intersection = w * h;
  const double united =
      truth_is_crowd ? detection.area() : detection.area() + truth.area() - intersection;
  return intersection / united;
}

}  // namespace quarry::detect

#include "detect/oks.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "detect/numpy_sum.hpp"

namespace quarry::detect {

namespace {

// How far v lies outside [low, high]: numpy's max(0, low - v) + max(0, v - high).
double outside(double v, double low, double high) {
  return std::max(0.0, low - v) + std::max(0.0, v - high);
}

}  // namespace

double oks(const Detection& detection, const TruthObject& truth,
           const std::vector<double>& sigmas) {
  const std::size_t k = sigmas.size();
  const double* d = detection.keypoints.data();
  const double* g = truth.keypoints.data();
  std::size_t labelled = 0;
  for (std::size_t j = 0; j < k; ++j) labelled += g[3 * j + 2] > 0;
  // The box a truth without labelled keypoints stands for, enlarged: distances outside it count.
  const Box& b = truth.box;
  const double x0 = b.x - b.w, x1 = b.x + b.w * 2, y0 = b.y - b.h, y1 = b.y + b.h * 2;
  std::vector<double> terms;
  terms.reserve(k);
  for (std::size_t j = 0; j < k; ++j) {
    if (labelled > 0 && !(g[3 * j + 2] > 0)) continue;
    const double xd = d[3 * j], yd = d[3 * j + 1];
    const double dx = labelled > 0 ? xd - g[3 * j] : outside(xd, x0, x1);
    const double dy = labelled > 0 ? yd - g[3 * j + 1] : outside(yd, y0, y1);
    const double twice_sigma = sigmas[j] * 2;
    // The operation order is computeOks's, each division separate.
    const double e =
        (dx * dx + dy * dy) / (twice_sigma * twice_sigma) / (truth.area + DBL_EPSILON) / 2;
    terms.push_back(std::exp(-e));
  }
  return numpy_sum(terms) / double(terms.size());
}

double keypoint_extent_area(const std::vector<double>& keypoints) {
  if (keypoints.empty()) return 0;
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (std::size_t i = 0; i + 2 < keypoints.size(); i += 3) {
    x0 = std::min(x0, keypoints[i]), x1 = std::max(x1, keypoints[i]);
    y0 = std::min(y0, keypoints[i + 1]), y1 = std::max(y1, keypoints[i + 1]);
  }
  return (x1 - x0) * (y1 - y0);
}

}  // namespace quarry::detect

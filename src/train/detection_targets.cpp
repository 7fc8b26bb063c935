#include "train/detection_targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace quarry::train {

DetectionTargets::DetectionTargets(const TargetShape& target_shape, std::int64_t batch_items)
    : shape(target_shape), items(batch_items) {
  const std::size_t maps = std::size_t(items) * shape.cells();
  center.assign(maps * std::size_t(shape.classes), 0.0f);
  center_weight.assign(center.size(), 1.0f);
  keypoint_heat.assign(maps * std::size_t(shape.keypoints), 0.0f);
  keypoint_weight.assign(keypoint_heat.size(), 1.0f);
}

double gaussian_radius(double height, double width, double min_overlap) {
  // The three cases of CenterNet's code (corners shrunk, grown, one in one out), the smallest
  // radius kept; its known departure from the paper's algebra is kept too, so targets match
  // what its published models were trained with.
  const double b1 = height + width;
  const double c1 = width * height * (1 - min_overlap) / (1 + min_overlap);
  const double r1 = (b1 + std::sqrt(b1 * b1 - 4 * c1)) / 2;
  const double b2 = 2 * (height + width);
  const double c2 = (1 - min_overlap) * width * height;
  const double r2 = (b2 + std::sqrt(b2 * b2 - 16 * c2)) / 2;
  const double a3 = 4 * min_overlap;
  const double b3 = -2 * min_overlap * (height + width);
  const double c3 = (min_overlap - 1) * width * height;
  const double r3 = (b3 + std::sqrt(b3 * b3 - 4 * a3 * c3)) / 2;
  return std::min({r1, r2, r3});
}

void draw_gaussian(float* map, int height, int width, int cx, int cy, int radius) {
  const double sigma = (2.0 * radius + 1.0) / 6.0;
  for (int y = std::max(0, cy - radius); y <= std::min(height - 1, cy + radius); ++y)
    for (int x = std::max(0, cx - radius); x <= std::min(width - 1, cx + radius); ++x) {
      const double dx = x - cx, dy = y - cy;
      double value = std::exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      // CenterNet zeroes the tail below machine epsilon times the peak.
      if (value < std::numeric_limits<double>::epsilon()) value = 0;
      float& cell = map[std::size_t(y) * std::size_t(width) + std::size_t(x)];
      cell = std::max(cell, static_cast<float>(value));
    }
}

namespace {

struct Cell {
  int x = 0, y = 0;
  float dx = 0, dy = 0;  // exact position minus the cell's corner, in cells
};

// The cell holding point (x, y) of the input, or false outside the map.
bool cell_of(const TargetShape& shape, double x, double y, Cell& cell) {
  const double sx = x / shape.stride, sy = y / shape.stride;
  cell.x = static_cast<int>(std::floor(sx));
  cell.y = static_cast<int>(std::floor(sy));
  cell.dx = static_cast<float>(sx - cell.x);
  cell.dy = static_cast<float>(sy - cell.y);
  return cell.x >= 0 && cell.y >= 0 && cell.x < shape.out_width() && cell.y < shape.out_height();
}

float weight_of(const ItemObjects& objects, std::size_t o) {
  return objects.weights.empty() ? 1.0f : objects.weights[o];
}

void add_keypoints(DetectionTargets& t, std::int64_t b, const ItemObjects& objects, std::size_t o,
                   int radius) {
  const auto& shape = t.shape;
  const int w = shape.out_width(), h = shape.out_height();
  for (int k = 0; k < shape.keypoints; ++k) {
    const float* point = objects.keypoints.data() + (o * std::size_t(shape.keypoints) + k) * 3;
    Cell cell;
    if (!(point[2] > 0) || !cell_of(shape, point[0], point[1], cell)) continue;
    const std::size_t map = std::size_t(b) * std::size_t(shape.keypoints) + std::size_t(k);
    float* heat = t.keypoint_heat.data() + map * shape.cells();
    draw_gaussian(heat, h, w, cell.x, cell.y, radius);
    const std::size_t at = std::size_t(cell.y) * std::size_t(w) + std::size_t(cell.x);
    t.keypoint_weight[map * shape.cells() + at] = weight_of(objects, o);
    t.keypoint_cell.push_back(static_cast<std::int64_t>(map * shape.cells() + at));
    t.keypoint_offset.insert(t.keypoint_offset.end(), {cell.dx, cell.dy});
    t.keypoint_offset_weight.push_back(weight_of(objects, o));
  }
}

void add_object(DetectionTargets& t, std::int64_t b, const ItemObjects& objects, std::size_t o) {
  const auto& shape = t.shape;
  const float* box = objects.boxes.data() + 4 * o;
  const double bw = box[2] - box[0], bh = box[3] - box[1];
  Cell cell;
  if (!(bw > 0 && bh > 0) ||
      !cell_of(shape, (box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0, cell))
    return;
  const int radius =
      std::max(0, static_cast<int>(gaussian_radius(bh / shape.stride, bw / shape.stride)));
  const std::size_t map =
      std::size_t(b) * std::size_t(shape.classes) + std::size_t(objects.labels[o]);
  draw_gaussian(t.center.data() + map * shape.cells(), shape.out_height(), shape.out_width(),
                cell.x, cell.y, radius);
  const std::size_t at = std::size_t(cell.y) * std::size_t(shape.out_width()) + std::size_t(cell.x);
  t.center_weight[map * shape.cells() + at] = weight_of(objects, o);
  t.box_cell.push_back(static_cast<std::int64_t>(std::size_t(b) * shape.cells() + at));
  t.box_size.insert(t.box_size.end(), {static_cast<float>(bw), static_cast<float>(bh)});
  t.box_offset.insert(t.box_offset.end(), {cell.dx, cell.dy});
  t.box_weight.push_back(weight_of(objects, o));
  if (shape.keypoints > 0 && !objects.keypoints.empty()) add_keypoints(t, b, objects, o, radius);
}

// The cells of a crowd box on its class's map that no object's Gaussian reaches get weight 0.
void ignore_crowd(DetectionTargets& t, std::int64_t b, const ItemObjects& objects, std::size_t o) {
  const auto& shape = t.shape;
  const float* box = objects.boxes.data() + 4 * o;
  const std::size_t map =
      std::size_t(b) * std::size_t(shape.classes) + std::size_t(objects.labels[o]);
  const int x0 = std::max(0, static_cast<int>(std::floor(box[0] / shape.stride)));
  const int y0 = std::max(0, static_cast<int>(std::floor(box[1] / shape.stride)));
  const int x1 = std::min(shape.out_width(), static_cast<int>(std::ceil(box[2] / shape.stride)));
  const int y1 = std::min(shape.out_height(), static_cast<int>(std::ceil(box[3] / shape.stride)));
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const std::size_t at =
          map * shape.cells() + std::size_t(y) * std::size_t(shape.out_width()) + std::size_t(x);
      if (t.center[at] == 0.0f) t.center_weight[at] = 0.0f;
    }
}

}  // namespace

void add_item_targets(DetectionTargets& targets, std::int64_t b, const ItemObjects& objects) {
  const auto crowd = [&](std::size_t o) { return !objects.crowd.empty() && objects.crowd[o]; };
  for (std::size_t o = 0; o < objects.size(); ++o)
    if (!crowd(o)) add_object(targets, b, objects, o);
  // After every object is drawn, so a Gaussian reaching into a crowd region keeps its cells.
  for (std::size_t o = 0; o < objects.size(); ++o)
    if (crowd(o)) ignore_crowd(targets, b, objects, o);
}

}  // namespace quarry::train

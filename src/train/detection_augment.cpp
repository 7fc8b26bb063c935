#include "train/detection_augment.hpp"

#include <algorithm>
#include <cmath>

#include "core/seeded.hpp"

namespace quarry::train {

ItemTransform draw_transform(const DetectionAugment& augment, std::uint64_t seed, int epoch,
                             std::uint64_t id, int height, int width) {
  ItemTransform t;
  if (!augment.enabled) return t;
  const std::uint64_t stream = derive_seed(seed, Purpose::augmentation, std::uint64_t(epoch));
  const auto uniform = [&](std::uint64_t draw) { return 2 * keyed_uniform(stream, id, draw) - 1; };
  t.scale = 1 + augment.scale_jitter * uniform(1);
  // Scaled about the image centre, then shifted.
  t.dx = width / 2.0 * (1 - t.scale) + augment.shift * width * uniform(2);
  t.dy = height / 2.0 * (1 - t.scale) + augment.shift * height * uniform(3);
  t.flip = augment.hflip && keyed_uniform(stream, id, 4) < 0.5;
  return t;
}

void transform_image(const std::uint8_t* image, int channels, int height, int width,
                     const ItemTransform& t, float scale, float shift, float* out) {
  const auto at = [&](int c, int y, int x) -> float {
    if (x < 0 || y < 0 || x >= width || y >= height) return 0.0f;
    return image[(std::size_t(c) * height + y) * width + x];
  };
  for (int y = 0; y < height; ++y) {
    // Pixel centres: where this output pixel's centre came from, in stored pixel indices.
    const double sy = (y + 0.5 - t.dy) / t.scale - 0.5;
    const int y0 = static_cast<int>(std::floor(sy));
    const double fy = sy - y0;
    for (int x = 0; x < width; ++x) {
      const double unflipped = t.flip ? width - (x + 0.5) : x + 0.5;
      const double sx = (unflipped - t.dx) / t.scale - 0.5;
      const int x0 = static_cast<int>(std::floor(sx));
      const double fx = sx - x0;
      for (int c = 0; c < channels; ++c) {
        const double value = (1 - fy) * ((1 - fx) * at(c, y0, x0) + fx * at(c, y0, x0 + 1)) +
                             fy * ((1 - fx) * at(c, y0 + 1, x0) + fx * at(c, y0 + 1, x0 + 1));
        out[(std::size_t(c) * height + y) * width + x] = static_cast<float>(value) * scale + shift;
      }
    }
  }
}

namespace {

double map_x(const ItemTransform& t, double x, int width) {
  const double moved = t.scale * x + t.dx;
  return t.flip ? width - moved : moved;
}

// Keypoints of object `o` under `t` (pairs swapped when flipped) appended to `out`.
void transform_keypoints(const float* in, const ItemTransform& t, int height, int width,
                         int keypoints, const std::vector<std::array<std::int32_t, 2>>& flip_pairs,
                         std::vector<float>& out) {
  std::vector<float> moved(std::size_t(keypoints) * 3, 0.0f);
  for (int k = 0; k < keypoints; ++k) {
    const float* p = in + 3 * k;
    if (!(p[2] > 0)) continue;
    const double x = map_x(t, p[0], width), y = t.scale * p[1] + t.dy;
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    moved[3 * k] = static_cast<float>(x);
    moved[3 * k + 1] = static_cast<float>(y);
    moved[3 * k + 2] = p[2];
  }
  if (t.flip)
    for (const auto& [a, b] : flip_pairs)
      std::swap_ranges(moved.begin() + 3 * a, moved.begin() + 3 * a + 3, moved.begin() + 3 * b);
  out.insert(out.end(), moved.begin(), moved.end());
}

}  // namespace

ItemObjects transform_objects(const ItemObjects& objects, const ItemTransform& t, int height,
                              int width, int keypoints,
                              const std::vector<std::array<std::int32_t, 2>>& flip_pairs) {
  ItemObjects out;
  const bool with_keypoints = keypoints > 0 && !objects.keypoints.empty();
  for (std::size_t o = 0; o < objects.size(); ++o) {
    const float* box = objects.boxes.data() + 4 * o;
    double x0 = map_x(t, box[0], width), x1 = map_x(t, box[2], width);
    if (x0 > x1) std::swap(x0, x1);
    double y0 = t.scale * box[1] + t.dy, y1 = t.scale * box[3] + t.dy;
    x0 = std::clamp(x0, 0.0, double(width));
    x1 = std::clamp(x1, 0.0, double(width));
    y0 = std::clamp(y0, 0.0, double(height));
    y1 = std::clamp(y1, 0.0, double(height));
    if (x1 - x0 < 2 || y1 - y0 < 2) continue;
    out.boxes.insert(out.boxes.end(), {static_cast<float>(x0), static_cast<float>(y0),
                                       static_cast<float>(x1), static_cast<float>(y1)});
    out.labels.push_back(objects.labels[o]);
    if (!objects.crowd.empty()) out.crowd.push_back(objects.crowd[o]);
    if (!objects.weights.empty()) out.weights.push_back(objects.weights[o]);
    if (with_keypoints)
      transform_keypoints(objects.keypoints.data() + o * std::size_t(keypoints) * 3, t, height,
                          width, keypoints, flip_pairs, out.keypoints);
  }
  return out;
}

}  // namespace quarry::train

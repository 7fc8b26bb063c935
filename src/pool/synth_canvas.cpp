#include "pool/synth_canvas.hpp"

#include <algorithm>
#include <cmath>

#include "detect/box.hpp"

namespace quarry::pool {

Canvas::Canvas(std::uint32_t channels, std::uint32_t height, std::uint32_t width)
    : channels_(channels),
      height_(height),
      width_(width),
      values_(std::size_t(channels) * height * width, 0.0f) {}

void Canvas::paint(float x0, float y0, float x1, float y1, const Color& color,
                   const std::function<float(float, float)>& coverage) {
  const auto left = static_cast<std::int64_t>(std::max(0.0f, std::floor(x0)));
  const auto top = static_cast<std::int64_t>(std::max(0.0f, std::floor(y0)));
  const auto right = std::min<std::int64_t>(width_, static_cast<std::int64_t>(std::ceil(x1)));
  const auto bottom = std::min<std::int64_t>(height_, static_cast<std::int64_t>(std::ceil(y1)));
  const std::size_t plane = std::size_t(height_) * width_;
  for (std::int64_t y = top; y < bottom; ++y)
    for (std::int64_t x = left; x < right; ++x) {
      const float weight = std::clamp(coverage(float(x) + 0.5f, float(y) + 0.5f), 0.0f, 1.0f);
      if (weight <= 0) continue;
      const std::size_t at = std::size_t(y) * width_ + std::size_t(x);
      for (std::uint32_t c = 0; c < channels_; ++c) {
        float& value = values_[c * plane + at];
        value += weight * (color[std::min<std::uint32_t>(c, 2)] - value);
      }
    }
}

void Canvas::ellipse(float cx, float cy, float rx, float ry, const Color& color) {
  // Coverage falls from 1 to 0 across one pixel at the rim: anti-aliased edges.
  const float scale = std::min(rx, ry);
  paint(cx - rx - 1, cy - ry - 1, cx + rx + 1, cy + ry + 1, color, [=](float x, float y) {
    const float dx = (x - cx) / rx, dy = (y - cy) / ry;
    return (1.0f - std::sqrt(dx * dx + dy * dy)) * scale + 0.5f;
  });
}

void Canvas::rectangle(float x0, float y0, float x1, float y1, const Color& color) {
  paint(x0, y0, x1, y1, color, [=](float x, float y) {
    return std::min({x - x0 + 0.5f, x1 - x + 0.5f, y - y0 + 0.5f, y1 - y + 0.5f});
  });
}

void Canvas::triangle(const std::array<float, 6>& p, const Color& color) {
  const float x0 = std::min({p[0], p[2], p[4]}), x1 = std::max({p[0], p[2], p[4]});
  const float y0 = std::min({p[1], p[3], p[5]}), y1 = std::max({p[1], p[3], p[5]});
  const float sign = (p[2] - p[0]) * (p[5] - p[1]) - (p[3] - p[1]) * (p[4] - p[0]) > 0 ? 1.f : -1.f;
  paint(x0 - 1, y0 - 1, x1 + 1, y1 + 1, color, [=](float x, float y) {
    float inside = 1e9f;  // signed distance to the nearest edge, positive inside
    for (int e = 0; e < 3; ++e) {
      const float ax = p[2 * e], ay = p[2 * e + 1];
      const float bx = p[(2 * e + 2) % 6], by = p[(2 * e + 3) % 6];
      const float length = std::hypot(bx - ax, by - ay);
      inside = std::min(inside, sign * ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / length);
    }
    return inside + 0.5f;
  });
}

Color random_color(Stream& rng, float low, float high) {
  const float level = rng.between(low, high);
  return {std::clamp(level + rng.between(-0.08f, 0.08f), 0.0f, 1.0f),
          std::clamp(level + rng.between(-0.08f, 0.08f), 0.0f, 1.0f),
          std::clamp(level + rng.between(-0.08f, 0.08f), 0.0f, 1.0f)};
}

void Canvas::background(Stream& rng, int clutter) {
  const Color base = random_color(rng, 0.15f, 0.45f);
  const float gx = rng.between(-0.2f, 0.2f), gy = rng.between(-0.2f, 0.2f);
  paint(0, 0, float(width_), float(height_), base, [](float, float) { return 1.0f; });
  const std::size_t plane = std::size_t(height_) * width_;
  for (std::uint32_t c = 0; c < channels_; ++c)
    for (std::uint32_t y = 0; y < height_; ++y)
      for (std::uint32_t x = 0; x < width_; ++x)
        values_[c * plane + std::size_t(y) * width_ + x] +=
            gx * (float(x) / float(width_) - 0.5f) + gy * (float(y) / float(height_) - 0.5f);
  const float w = float(width_), h = float(height_);
  for (int i = 0; i < clutter; ++i) {
    // Darker than any object (synth_objects.cpp draws them at 0.6 and brighter).
    const Color color = random_color(rng, 0.05f, 0.5f);
    const float x = rng.between(0, w), y = rng.between(0, h);
    switch (rng.next() % 3) {
      case 0:  // a block
        rectangle(x, y, x + rng.between(3, w / 4), y + rng.between(3, h / 4), color);
        break;
      case 1:  // a thin bar, across or down
        if (rng.uniform() < 0.5f)
          rectangle(0, y, w, y + rng.between(1, 3), color);
        else
          rectangle(x, 0, x + rng.between(1, 3), h, color);
        break;
      default:  // a small blob
        ellipse(x, y, rng.between(1.5f, w / 16), rng.between(1.5f, h / 16), color);
    }
  }
}

void Canvas::finish(Stream& rng, float noise, std::span<std::uint8_t> out) const {
  for (std::size_t i = 0; i < values_.size(); ++i) {
    const float value = values_[i] + noise * (rng.uniform() - 0.5f) * 2.0f;
    out[i] = static_cast<std::uint8_t>(std::clamp(value, 0.0f, 1.0f) * 255.0f + 0.5f);
  }
}

std::vector<std::array<float, 4>> place_boxes(Stream& rng, int count, std::uint32_t width,
                                              std::uint32_t height, float aspect,
                                              const std::function<float(Stream&)>& size,
                                              double max_iou) {
  std::vector<std::array<float, 4>> boxes;
  for (int tries = 0; tries < 20 * count && int(boxes.size()) < count; ++tries) {
    const float w = std::min(size(rng), float(width) - 2),
                h = std::min(w * aspect, float(height) - 2);
    const float x = rng.between(1, float(width) - 1 - w), y = rng.between(1, float(height) - 1 - h);
    const detect::Box candidate = detect::from_corners(x, y, x + w, y + h);
    const bool apart = std::all_of(boxes.begin(), boxes.end(), [&](const auto& b) {
      return detect::iou(candidate, detect::from_corners(b[0], b[1], b[2], b[3])) <= max_iou;
    });
    if (apart) boxes.push_back({x, y, x + w, y + h});
  }
  return boxes;
}

}  // namespace quarry::pool

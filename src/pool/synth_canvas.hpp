#pragma once
// Drawing for synthetic pools with objects (synth_objects.cpp): a float canvas [C,H,W] in [0, 1],
// a cluttered background, anti-aliased shapes and placement of boxes that barely overlap. All
// randomness comes from a Stream keyed by (seed, item id), so an item needs no other item.
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/seeded.hpp"

namespace quarry::pool {

// A SplitMix64 sequence from a keyed seed, so item i's randomness needs no state from item i-1.
struct Stream {
  std::uint64_t state;
  std::uint64_t next() { return state = mix64(state); }
  float uniform() { return float(next() >> 40) * (1.0f / float(1 << 24)); }  // [0, 1)
  float between(float low, float high) { return low + (high - low) * uniform(); }
};

using Color = std::array<float, 3>;  // per channel; gray canvases use the first

class Canvas {
 public:
  Canvas(std::uint32_t channels, std::uint32_t height, std::uint32_t width);
  std::uint32_t height() const { return height_; }
  std::uint32_t width() const { return width_; }

  // Blends `color` over the pixels, weighted by coverage(x, y) in [0, 1] (pixel centres at +0.5),
  // within the box [x0, x1) x [y0, y1) clipped to the canvas.
  void paint(float x0, float y0, float x1, float y1, const Color& color,
             const std::function<float(float, float)>& coverage);
  void ellipse(float cx, float cy, float rx, float ry, const Color& color);
  void rectangle(float x0, float y0, float x1, float y1, const Color& color);
  void triangle(const std::array<float, 6>& corners, const Color& color);

  // A smooth gradient and `clutter` rectangles, bars and blobs that are no objects, all at most
  // half bright; noise is added by finish.
  void background(Stream& rng, int clutter);
  // Adds uniform noise of amplitude `noise` and writes bytes into `out` [C,H,W].
  void finish(Stream& rng, float noise, std::span<std::uint8_t> out) const;

 private:
  std::uint32_t channels_, height_, width_;
  std::vector<float> values_;
};

// A colour of brightness about `level` (slightly tinted on RGB canvases).
Color random_color(Stream& rng, float low, float high);

// Up to `count` boxes of side `size(rng)` inside a width x height canvas, each overlapping every
// earlier one by at most `max_iou`; fewer where tries run out. Boxes are {x0, y0, x1, y1}.
std::vector<std::array<float, 4>> place_boxes(Stream& rng, int count, std::uint32_t width,
                                              std::uint32_t height, float aspect,
                                              const std::function<float(Stream&)>& size,
                                              double max_iou);

}  // namespace quarry::pool

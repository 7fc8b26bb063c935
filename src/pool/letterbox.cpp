#include "pool/letterbox.hpp"

#include <algorithm>
#include <cmath>

namespace quarry::pool {

namespace {

// The source taps of each output pixel along one axis; empty for padding.
struct Taps {
  std::vector<std::vector<std::pair<std::uint32_t, float>>> of;
};

Taps axis_taps(std::uint32_t in, std::uint32_t out, double scale, double offset) {
  Taps taps;
  taps.of.resize(out);
  const double support = std::max(1.0, 1.0 / scale);
  for (std::uint32_t o = 0; o < out; ++o) {
    const double centre = (o + 0.5 - offset) / scale;  // in source pixels
    if (centre < 0 || centre >= in) continue;
    const auto first = static_cast<std::int64_t>(std::floor(centre - support));
    const auto last = static_cast<std::int64_t>(std::ceil(centre + support));
    double total = 0;
    for (std::int64_t i = std::max<std::int64_t>(first, 0);
         i <= std::min<std::int64_t>(last, std::int64_t(in) - 1); ++i) {
      const double weight = 1.0 - std::abs(double(i) + 0.5 - centre) / support;
      if (weight <= 0) continue;
      taps.of[o].emplace_back(static_cast<std::uint32_t>(i), float(weight));
      total += weight;
    }
    for (auto& [index, weight] : taps.of[o]) weight = float(weight / total);
  }
  return taps;
}

}  // namespace

Letterbox fit_letterbox(std::uint32_t width, std::uint32_t height, std::uint32_t out_width,
                        std::uint32_t out_height) {
  Letterbox box;
  box.scale = std::min(double(out_width) / width, double(out_height) / height);
  // Whole-pixel offsets: the padding is exactly zero and no edge pixel is half image.
  box.dx = std::floor((out_width - width * box.scale) / 2);
  box.dy = std::floor((out_height - height * box.scale) / 2);
  return box;
}

void letterbox_image(std::span<const std::uint8_t> in, std::uint32_t channels, std::uint32_t width,
                     std::uint32_t height, const Letterbox& box, std::uint32_t out_width,
                     std::uint32_t out_height, std::span<std::uint8_t> out) {
  const Taps across = axis_taps(width, out_width, box.scale, box.dx);
  const Taps down = axis_taps(height, out_height, box.scale, box.dy);
  std::vector<float> rows(std::size_t(height) * out_width);  // one channel, resampled across
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  for (std::uint32_t c = 0; c < channels; ++c) {
    const std::uint8_t* plane = in.data() + std::size_t(c) * width * height;
    for (std::uint32_t y = 0; y < height; ++y)
      for (std::uint32_t x = 0; x < out_width; ++x) {
        float sum = 0;
        for (const auto& [index, weight] : across.of[x]) sum += weight * plane[y * width + index];
        rows[std::size_t(y) * out_width + x] = sum;
      }
    std::uint8_t* target = out.data() + std::size_t(c) * out_width * out_height;
    for (std::uint32_t y = 0; y < out_height; ++y) {
      if (down.of[y].empty()) continue;
      for (std::uint32_t x = 0; x < out_width; ++x) {
        if (across.of[x].empty()) continue;
        float sum = 0;
        for (const auto& [index, weight] : down.of[y])
          sum += weight * rows[std::size_t(index) * out_width + x];
        target[std::size_t(y) * out_width + x] =
            static_cast<std::uint8_t>(std::clamp(std::lround(sum), 0L, 255L));
      }
    }
  }
}

std::vector<std::uint8_t> convert_channels(std::span<const std::uint8_t> planar, std::uint32_t from,
                                           std::uint32_t to) {
  if (from == to) return {planar.begin(), planar.end()};
  const std::size_t pixels = planar.size() / from;
  std::vector<std::uint8_t> out(pixels * to);
  if (from == 1) {
    for (std::uint32_t c = 0; c < to; ++c)
      std::copy(planar.begin(), planar.end(), out.begin() + std::ptrdiff_t(c * pixels));
    return out;
  }
  for (std::size_t p = 0; p < pixels; ++p)
    out[p] = static_cast<std::uint8_t>(std::lround(0.299 * planar[p] + 0.587 * planar[pixels + p] +
                                                   0.114 * planar[2 * pixels + p]));
  return out;
}

}  // namespace quarry::pool

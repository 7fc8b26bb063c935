#include "train/strong_augment.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/seeded.hpp"

namespace quarry::train {

namespace {

enum class Op { shift, flip, contrast, brightness, sharpness, posterize };

std::uint8_t clamp_pixel(double value) {
  return static_cast<std::uint8_t>(std::clamp(std::lround(value), 0L, 255L));
}

// A strength in [lo, hi] from draw `n` of the item's key.
double strength(std::uint64_t key, std::uint64_t n, double lo, double hi) {
  return lo + (hi - lo) * keyed_uniform(key, n);
}

void shift(std::vector<std::uint8_t>& img, const ImageShape& s, std::uint64_t key) {
  // Up to 30% of the side, as RandAugment's translate; uncovered pixels are black (the pad of
  // the weak view's crop).
  const int max_dy = std::max(1, int(0.3 * s.height)), max_dx = std::max(1, int(0.3 * s.width));
  const int dy = int(std::floor(strength(key, 10, -max_dy, max_dy + 1)));
  const int dx = int(std::floor(strength(key, 11, -max_dx, max_dx + 1)));
  std::vector<std::uint8_t> out(img.size(), 0);
  for (int c = 0; c < s.channels; ++c)
    for (int y = 0; y < s.height; ++y)
      for (int x = 0; x < s.width; ++x) {
        const int sy = y + dy, sx = x + dx;
        if (sy >= 0 && sy < s.height && sx >= 0 && sx < s.width)
          out[(c * s.height + y) * s.width + x] = img[(c * s.height + sy) * s.width + sx];
      }
  img.swap(out);
}

void flip(std::vector<std::uint8_t>& img, const ImageShape& s) {
  for (int c = 0; c < s.channels; ++c)
    for (int y = 0; y < s.height; ++y) {
      auto row = img.begin() + (c * s.height + y) * s.width;
      std::reverse(row, row + s.width);
    }
}

// PIL's ImageEnhance: blend of the image with a degenerate one, factor 0 the degenerate, 1 the
// image, above 1 an extrapolation.
void blend(std::vector<std::uint8_t>& img, const std::vector<double>& degenerate, double factor) {
  for (std::size_t i = 0; i < img.size(); ++i)
    img[i] = clamp_pixel(degenerate[i] + factor * (double(img[i]) - degenerate[i]));
}

void contrast(std::vector<std::uint8_t>& img, double factor) {
  double mean = 0;
  for (auto v : img) mean += v;
  mean /= double(img.size());
  blend(img, std::vector<double>(img.size(), mean), factor);
}

void sharpness(std::vector<std::uint8_t>& img, const ImageShape& s, double factor) {
  // PIL's SMOOTH kernel (1 1 1 / 1 5 1 / 1 1 1) / 13 inside, the border as it is.
  std::vector<double> smooth(img.begin(), img.end());
  for (int c = 0; c < s.channels; ++c)
    for (int y = 1; y + 1 < s.height; ++y)
      for (int x = 1; x + 1 < s.width; ++x) {
        double sum = 0;
        for (int ky = -1; ky <= 1; ++ky)
          for (int kx = -1; kx <= 1; ++kx)
            sum +=
                (ky == 0 && kx == 0 ? 5.0 : 1.0) * img[(c * s.height + y + ky) * s.width + x + kx];
        smooth[(c * s.height + y) * s.width + x] = sum / 13.0;
      }
  blend(img, smooth, factor);
}

void cutout(std::vector<std::uint8_t>& img, const ImageShape& s, std::uint64_t key) {
  // A square of up to half the shorter side, centred anywhere (clipped at the border), gray.
  const int side = std::max(1, int(strength(key, 20, 0.0, 0.5) * std::min(s.height, s.width)));
  const int cy = int(strength(key, 21, 0, s.height)), cx = int(strength(key, 22, 0, s.width));
  for (int c = 0; c < s.channels; ++c)
    for (int y = std::max(0, cy - side / 2); y < std::min(s.height, cy - side / 2 + side); ++y)
      for (int x = std::max(0, cx - side / 2); x < std::min(s.width, cx - side / 2 + side); ++x)
        img[(c * s.height + y) * s.width + x] = 127;
}

void apply(Op op, std::vector<std::uint8_t>& img, const ImageShape& s, std::uint64_t key,
           std::uint64_t n) {
  switch (op) {
    case Op::shift:
      return shift(img, s, keyed_hash(key, n));
    case Op::flip:
      return flip(img, s);
    case Op::contrast:
      return contrast(img, strength(key, n, 0.05, 1.95));
    case Op::brightness:
      return blend(img, std::vector<double>(img.size(), 0.0), strength(key, n, 0.05, 1.95));
    case Op::sharpness:
      return sharpness(img, s, strength(key, n, 0.05, 1.95));
    case Op::posterize: {
      const int bits = 4 + int(keyed_hash(key, n) % 5);  // 4..8 bits kept
      const auto mask = static_cast<std::uint8_t>(0xFF << (8 - bits));
      for (auto& v : img) v &= mask;
      return;
    }
  }
}

}  // namespace

void strong_augment(const std::uint8_t* src, std::uint8_t* dst, const ImageShape& shape, bool hflip,
                    std::uint64_t key) {
  std::vector<std::uint8_t> img(src, src + shape.elements());
  std::vector<Op> ops = {Op::shift, Op::contrast, Op::brightness, Op::sharpness, Op::posterize};
  if (hflip) ops.push_back(Op::flip);
  for (std::uint64_t n = 0; n < 2; ++n)
    apply(ops[keyed_hash(key, 100 + n) % ops.size()], img, shape, key, 200 + n);
  cutout(img, shape, key);
  std::copy(img.begin(), img.end(), dst);
}

}  // namespace quarry::train

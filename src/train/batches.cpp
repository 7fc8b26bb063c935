#include "train/batches.hpp"

#include <algorithm>
#include <numeric>

#include "core/seeded.hpp"

namespace quarry::train {

namespace {
std::uint64_t key(std::uint64_t seed, Purpose purpose, int epoch, std::uint64_t id) {
  return keyed_hash(derive_seed(seed, purpose, static_cast<std::uint64_t>(epoch)), id);
}
}  // namespace

std::vector<std::size_t> epoch_order(std::span<const std::uint64_t> ids, std::uint64_t seed,
                                     int epoch) {
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::uint64_t> keys(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    keys[i] = key(seed, Purpose::epoch_order, epoch, ids[i]);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return keys[a] != keys[b] ? keys[a] < keys[b] : ids[a] < ids[b];
  });
  return order;
}

void fill_batch(const LabeledSet& set, std::span<const std::size_t> indices, const Augment& augment,
                std::uint64_t seed, int epoch, float scale, float shift, float* out) {
  const std::size_t width = set.elements();
  for (std::size_t b = 0; b < indices.size(); ++b) {
    const std::size_t item = indices[b];
    float* dst = out + b * width;
    if (!set.images()) {
      const float* src = set.features.data() + item * width;
      for (std::size_t i = 0; i < width; ++i) dst[i] = src[i] * scale + shift;
      continue;
    }
    const std::uint8_t* src = set.pixels.data() + item * width;
    if (!augment.enabled) {
      for (std::size_t i = 0; i < width; ++i) dst[i] = static_cast<float>(src[i]) * scale + shift;
      continue;
    }
    // Random crop of the image padded by `pad` zeros (values: 0 * scale + shift), and a flip.
    const std::uint64_t k = key(seed, Purpose::augmentation, epoch, set.ids[item]);
    const int span = 2 * augment.pad + 1;
    const int dy = static_cast<int>(k % span) - augment.pad;
    const int dx = static_cast<int>((k / span) % span) - augment.pad;
    const bool flip = augment.hflip && ((k >> 32) & 1u);
    const int channels = static_cast<int>(set.item_shape[0]);
    const int height = static_cast<int>(set.item_shape[1]);
    const int width_px = static_cast<int>(set.item_shape[2]);
    for (int c = 0; c < channels; ++c)
      for (int y = 0; y < height; ++y)
        for (int x = 0; x < width_px; ++x) {
          const int sy = y + dy;
          const int sx = (flip ? width_px - 1 - x : x) + dx;
          const bool inside = sy >= 0 && sy < height && sx >= 0 && sx < width_px;
          const float value =
              inside ? static_cast<float>(src[(c * height + sy) * width_px + sx]) : 0.0f;
          dst[(c * height + y) * width_px + x] = value * scale + shift;
        }
  }
}

}  // namespace quarry::train

#pragma once
// FixMatch's strong view (Sohn et al. 2020: RandAugment then Cutout) for uint8 images, in C++:
// two operations drawn from shift, horizontal flip (only where the pool allows flips), contrast,
// brightness, sharpness and posterize, each at a drawn strength, then a cutout square filled with
// gray. Every draw is keyed by (seed, epoch, item id), so any rank count sees the same views.
// Torch-free.
#include <cstdint>

namespace quarry::train {

struct ImageShape {
  int channels = 1, height = 0, width = 0;
  int elements() const { return channels * height * width; }
};

// Writes the strong view of `src` ([C,H,W] uint8) to `dst` (the same shape); `key` is the item's
// draw (keyed_hash of the stream seed and the id).
void strong_augment(const std::uint8_t* src, std::uint8_t* dst, const ImageShape& shape, bool hflip,
                    std::uint64_t key);

}  // namespace quarry::train

#pragma once
// Augmentation of detection items that moves the objects with the pixels: a horizontal flip
// (keypoints of each flip pair swap names), a scale jitter about the image centre and a shift
// (the crop). Drawn from (seed, epoch, item id) as classification's augmentation is, so every
// rank count sees the same augmented batches. Torch-free.
#include <array>
#include <cstdint>
#include <vector>

#include "train/detection_targets.hpp"

namespace quarry::train {

struct DetectionAugment {
  bool enabled = false;
  bool hflip = true;           // mirror half the items (detection and keypoints keep meaning)
  double scale_jitter = 0.25;  // scale drawn uniformly in [1 - j, 1 + j]
  double shift = 0.125;        // shift drawn uniformly in [-s, s] of the image's width and height
  std::vector<std::array<std::int32_t, 2>> flip_pairs;  // keypoints that swap under a flip
};

// Stored pixel (x, y) lands at (scale * x + dx, scale * y + dy) of the augmented image, then,
// when flipped, at width - x.
struct ItemTransform {
  double scale = 1, dx = 0, dy = 0;
  bool flip = false;
};

// The transform of item `id` in epoch `epoch`; the identity when augmentation is off.
ItemTransform draw_transform(const DetectionAugment& augment, std::uint64_t seed, int epoch,
                             std::uint64_t id, int height, int width);

// Resamples a uint8 [C, H, W] image under `t` (bilinear; zeros outside the stored image) into
// `out` as value * scale + shift.
void transform_image(const std::uint8_t* image, int channels, int height, int width,
                     const ItemTransform& t, float scale, float shift, float* out);

// The objects under `t`: boxes clipped to the image and dropped when less than 2 pixels of
// width or height remain inside, keypoints outside the image made invisible (0, 0, 0), and with
// a flip the keypoints of each pair swapped.
ItemObjects transform_objects(const ItemObjects& objects, const ItemTransform& t, int height,
                              int width, int keypoints,
                              const std::vector<std::array<std::int32_t, 2>>& flip_pairs);

}  // namespace quarry::train

#pragma once
// Epoch order and batch assembly for training, keyed by (seed, epoch, item id) so every rank
// count sees the same global batches and the same augmentation. Torch-free.
#include <cstdint>
#include <span>
#include <vector>

#include "train/labeled_set.hpp"

namespace quarry::train {

struct Augment {
  bool enabled = false;
  int pad = 2;         // random crop: shift by up to `pad` pixels, zeros outside
  bool hflip = false;  // mirror half the items (only where left and right mean the same)
};

// The items of epoch `epoch` in shuffled order (indices into `ids`, a training set's items).
std::vector<std::size_t> epoch_order(std::span<const std::uint64_t> ids, std::uint64_t seed,
                                     int epoch);

// Writes items `indices` of `set` to `out` (indices.size() x elements floats) as
// value * scale + shift, augmented when `augment.enabled` (images only).
void fill_batch(const LabeledSet& set, std::span<const std::size_t> indices, const Augment& augment,
                std::uint64_t seed, int epoch, float scale, float shift, float* out);

}  // namespace quarry::train

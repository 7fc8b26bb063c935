#pragma once
// The training set of a detection or keypoint pool: the items' pixels and ground-truth objects,
// held in memory on every rank (each epoch's shuffled batches can touch any item). In part 1 the
// objects are the pool's own: the ledger, when given, names which items are labeled (its per-item
// labels mean nothing for objects); without one every pool item trains. Per-object weights are 1
// until the ledger carries objects with their confidence. Torch-free.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "files/pool/objects.hpp"
#include "train/detection_augment.hpp"
#include "train/detection_targets.hpp"

namespace quarry::train {

struct DetectionSet {
  std::vector<std::uint64_t> ids;
  std::vector<std::uint8_t> pixels;      // items x C*H*W
  std::vector<std::int64_t> item_shape;  // {C, H, W}
  std::vector<std::string> classes;
  pool::TaskInfo task;
  pool::ObjectTable objects;  // rows aligned with ids
  std::string ledger_sha256;  // empty when every pool item trains

  std::size_t size() const { return ids.size(); }
  std::size_t elements() const;
  int keypoints() const { return static_cast<int>(task.keypoints()); }
  TargetShape target_shape() const;
  ItemObjects item_objects(std::size_t item) const;  // as stored, weights 1
};

// Reads the pool's items and objects: all of them, or the ledger's items when `ledger` is not
// empty. InputError (exit 2) for a pool without objects, a classification pool, an empty ledger,
// ledger ids the pool lacks, or a ledger of other classes.
DetectionSet load_detection_set(const std::filesystem::path& pool,
                                const std::filesystem::path& ledger);

// Writes the augmented images of `mine` (indices into the set) to `out` as value * scale +
// shift and returns their targets; the loss normalisers count the objects and visible keypoints
// of the whole global batch `global` as stored, so every rank divides by the same numbers.
DetectionTargets fill_detection_batch(const DetectionSet& set, std::span<const std::size_t> global,
                                      std::span<const std::size_t> mine,
                                      const DetectionAugment& augment, std::uint64_t seed,
                                      int epoch, float scale, float shift, float* out);

}  // namespace quarry::train

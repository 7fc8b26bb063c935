#pragma once
// The training set of a detection or keypoint pool: the items' pixels and objects, held in memory
// on every rank (each epoch's shuffled batches can touch any item). The objects are the ledger's
// consensus objects when the ledger holds objects (quarry ingest of boxes), each weighted by its
// confidence; with a ledger of items only they are the pool's ground truth of those items, and
// without a ledger every pool item trains on its ground truth (weights 1). Torch-free.
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
  pool::ObjectTable objects;   // rows aligned with ids
  std::vector<float> weights;  // per object (the ledger's confidence); empty: every weight 1
  std::string ledger_sha256;   // empty when every pool item trains

  std::size_t size() const { return ids.size(); }
  std::size_t elements() const;
  int keypoints() const { return static_cast<int>(task.keypoints()); }
  TargetShape target_shape() const;
  ItemObjects item_objects(std::size_t item) const;  // as stored, with their weights
};

// Reads the pool's items and objects: all of them, or the ledger's items when `ledger` is not
// empty. InputError (exit 2) for a pool without objects where the ledger has none, an empty
// ledger, ledger ids the pool lacks, or a ledger of other classes.
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

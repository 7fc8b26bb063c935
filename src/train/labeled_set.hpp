#pragma once
// The training set: the ledger's labeled items with their pixels (or features) from the pool,
// held in memory on every rank (each epoch's shuffled shards can touch any item). 60,000
// 1x28x28 items take 47 MB. Torch-free.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace quarry::train {

struct LabeledSet {
  std::vector<std::uint64_t> ids;        // ascending
  std::vector<std::int32_t> labels;      // class index per item
  std::vector<float> confidence;         // the ledger's posterior: a per-item loss weight
  std::vector<std::uint8_t> pixels;      // items x elements, image pools
  std::vector<float> features;           // items x elements, feature pools
  std::vector<std::int64_t> item_shape;  // {C, H, W} or {D}
  std::vector<std::string> classes;
  std::string ledger_sha256;

  std::size_t size() const { return ids.size(); }
  std::size_t elements() const;  // per item
  bool images() const { return item_shape.size() == 3; }
};

// Reads the ledger and the labeled rows of the pool. InputError (exit 2) for an empty ledger,
// ids the pool does not have, labels outside the pool's classes, or classes that differ.
LabeledSet load_labeled_set(const std::filesystem::path& pool, const std::filesystem::path& ledger);

}  // namespace quarry::train

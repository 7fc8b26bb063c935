#pragma once
// A distributed full read of a pool: every rank streams its chunk-aligned shard through the
// prefetching reader and checks it; the results are combined on all ranks. It proves a pool is
// whole and readable before a long job relies on it, and measures read throughput.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "comm/communicator.hpp"
#include "files/pool/schema.hpp"
#include "pool/object_stats.hpp"

namespace quarry::pool {

struct VerifyResult {
  std::uint64_t items = 0;
  std::uint64_t bytes = 0;                  // item bytes read across ranks
  double seconds = 0;                       // slowest rank's wall time
  double mean_value = 0;                    // mean pixel (0..255) or feature value
  std::vector<std::uint64_t> label_counts;  // per class; empty without labels
  std::uint64_t unknown_labels = 0;
  std::optional<ObjectStats> objects;  // pools with objects: counted across ranks
  PoolMeta meta;                       // as opened (names classes and keypoints)
};

// Collective. Throws InputError (on every rank) for duplicate ids across shards, labels out of
// range, non-finite features, or objects that break the contract (see check_objects).
VerifyResult verify_pool(const comm::Communicator& comm, const std::filesystem::path& path,
                         std::uint64_t batch_size);

}  // namespace quarry::pool

#pragma once
// What `pool info` and `pool check` report about a pool's objects: counts, objects per image,
// sizes in COCO's area ranges (small < 32^2 <= medium < 96^2 <= large, by the objects' area,
// which is what COCO evaluation ranks by) and keypoint visibility counts per keypoint.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "comm/communicator.hpp"
#include "files/pool/schema.hpp"

namespace quarry::pool {

struct ObjectStats {
  std::uint64_t images = 0, objects = 0, crowd = 0;
  std::uint64_t fewest = 0, most = 0;                 // objects in one image
  std::array<std::uint64_t, 3> by_size{};             // small, medium, large
  std::vector<std::uint64_t> per_class;               // objects per class
  std::vector<std::array<std::uint64_t, 3>> visible;  // per keypoint: visibility 0, 1, 2

  explicit ObjectStats(const PoolMeta& meta);
  void add(const ObjectTable& table);
  // Collective: every rank ends with the sums (and the fewest/most) over all ranks.
  void combine(const comm::Communicator& comm);
  double mean() const { return images ? double(objects) / double(images) : 0.0; }
};

// Reads every object of the pool (serially).
ObjectStats pool_object_stats(const PoolFile& pool);
// Lines for the `pool info` table ("objects   ...") and its JSON.
std::string format_object_stats(const ObjectStats& stats, const PoolMeta& meta);
nlohmann::json object_stats_json(const ObjectStats& stats, const PoolMeta& meta);

}  // namespace quarry::pool

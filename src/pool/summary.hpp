#pragma once
// What `quarry pool info` prints: the pool's shape, layout, task, classes, label counts and, for
// pools with objects, their statistics (object_stats.hpp).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "files/pool/schema.hpp"
#include "pool/object_stats.hpp"

namespace quarry::pool {

struct PoolSummary {
  std::filesystem::path path;
  std::string
      format;  // the file's quarry_format: pool/1 files are read as pool/2 with task classify
  PoolMeta meta;
  std::uint64_t file_bytes = 0;
  std::vector<std::uint64_t> label_counts;  // per class, when the pool has labels
  std::uint64_t unknown_labels = 0;
  std::optional<ObjectStats> objects;  // pools with objects
};

// Opens and fully validates the pool (unique ids, label range, objects) before summarising it.
PoolSummary summarize_pool(const std::filesystem::path& path);
std::string format_summary(const PoolSummary& summary);
nlohmann::json summary_json(const PoolSummary& summary);

}  // namespace quarry::pool

#pragma once
// What object ingest needs from a detection or keypoint pool: its classes and keypoint names, the
// stored image's size, each item's row (for its source transform, so what annotators drew on the
// original maps back to pool pixels) and, where the pool has them, the ground-truth objects that
// make an item gold.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "files/pool/objects.hpp"
#include "files/pool/source_coordinates.hpp"
#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

class ObjectPool {
 public:
  static ObjectPool open(const std::filesystem::path& pool);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& classes() const { return classes_; }
  const pool::TaskInfo& task() const { return task_; }
  std::size_t keypoint_count() const;  // K of a keypoint pool, 0 for detect
  double width() const { return width_; }
  double height() const { return height_; }
  std::optional<std::size_t> row_of(std::uint64_t id) const;
  pool::SourceTransform transform(std::size_t row) const;
  // The pool's ground-truth objects of `id` (pool pixels); nullopt where the pool has none.
  std::optional<std::vector<DrawnObject>> truth(std::uint64_t id) const;

 private:
  std::string path_;
  std::vector<std::string> classes_;
  pool::TaskInfo task_;
  double width_ = 0, height_ = 0;
  std::unordered_map<std::uint64_t, std::size_t> rows_;
  pool::PoolSources sources_;
  pool::ObjectTable truth_;  // all rows, empty where the pool holds none
};

// True when the pool's task has objects (detect or keypoints): ingest takes the object path.
bool pool_has_object_task(const std::filesystem::path& pool);

}  // namespace quarry::ingest::objects

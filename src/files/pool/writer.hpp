#pragma once
// Writes a pool file item batch by item batch into an atomic temporary; `finish` validates the
// whole (count, unique ids, label range, objects), writes the attributes and publishes it. An
// importer that throws half-way leaves no file behind. Objects and sources are kept in memory
// until `finish` (about 30 bytes per object plus 12 per keypoint) and written then.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/atomic_output.hpp"
#include "files/pool/schema.hpp"

namespace quarry::pool {

struct PoolSpec {
  std::uint64_t count = 0;
  ItemShape shape;
  std::vector<std::string> classes;
  std::string source;  // where the items came from, for people reading `pool info`
  bool has_labels = false;
  int gzip_level = 0;  // uncompressed by default: scoring reads at memory speed
  // Task and keypoint attributes; task.has_objects: items come with objects (append_objects).
  // Empty keypoint_sigmas of a keypoints pool become kDefaultKeypointSigma each.
  TaskInfo task;
  bool has_sources = false;  // items come with append_sources
};

class PoolWriter {
 public:
  PoolWriter(const std::filesystem::path& out, Overwrite overwrite, PoolSpec spec);

  // Appends ids.size() items. `labels` is empty when the pool has none.
  void append(std::span<const std::uint8_t> pixels, std::span<const std::uint64_t> ids,
              std::span<const std::int32_t> labels = {});
  void append(std::span<const float> features, std::span<const std::uint64_t> ids,
              std::span<const std::int32_t> labels = {});

  // The objects of the next objects.rows() items appended (in the order of append, which may run
  // ahead); validated against the pool in finish.
  void append_objects(const ObjectTable& objects);
  // The original file and transform (scale, dx, dy per item) of the next paths.size() items.
  void append_sources(std::span<const std::string> paths, std::span<const float> transform);

  std::uint64_t written() const { return written_; }
  const PoolSpec& spec() const { return spec_; }
  // Validates and publishes; the pool exists at `out` only after this returns.
  void finish();

 private:
  template <class T>
  void append_rows(std::span<const T> values, std::span<const std::uint64_t> ids,
                   std::span<const std::int32_t> labels);
  void finish_objects();  // checks and writes objects, sources and task attributes

  PoolSpec spec_;
  AtomicOutput output_;
  h5::File file_;
  h5::Dataset items_, ids_;
  std::optional<h5::Dataset> labels_;
  std::vector<std::uint64_t> all_ids_;  // kept to prove uniqueness before publishing
  std::vector<std::int32_t> all_labels_;
  ObjectTable objects_;
  SourceTable sources_;
  std::uint64_t written_ = 0;
};

}  // namespace quarry::pool

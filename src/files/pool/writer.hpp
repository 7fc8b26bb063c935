#pragma once
// Writes a pool file item batch by item batch into an atomic temporary; `finish` validates the
// whole (count, unique ids, label range), writes the attributes and publishes it. An importer
// that throws half-way leaves no file behind.
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
};

class PoolWriter {
 public:
  PoolWriter(const std::filesystem::path& out, Overwrite overwrite, PoolSpec spec);

  // Appends ids.size() items. `labels` is empty when the pool has none.
  void append(std::span<const std::uint8_t> pixels, std::span<const std::uint64_t> ids,
              std::span<const std::int32_t> labels = {});
  void append(std::span<const float> features, std::span<const std::uint64_t> ids,
              std::span<const std::int32_t> labels = {});

  std::uint64_t written() const { return written_; }
  const PoolSpec& spec() const { return spec_; }
  // Validates and publishes; the pool exists at `out` only after this returns.
  void finish();

 private:
  template <class T>
  void append_rows(std::span<const T> values, std::span<const std::uint64_t> ids,
                   std::span<const std::int32_t> labels);

  PoolSpec spec_;
  AtomicOutput output_;
  h5::File file_;
  h5::Dataset items_, ids_;
  std::optional<h5::Dataset> labels_;
  std::vector<std::uint64_t> all_ids_;  // kept to prove uniqueness before publishing
  std::vector<std::int32_t> all_labels_;
  std::uint64_t written_ = 0;
};

}  // namespace quarry::pool

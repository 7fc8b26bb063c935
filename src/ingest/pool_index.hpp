#pragma once
// What ingest needs from the pool: its class names and the ids that exist. Answers are checked
// against it: an id the pool does not have was never exported by quarry, and a label must be
// one of the pool's class names (or a class index).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace quarry::ingest {

class PoolIndex {
 public:
  static PoolIndex open(const std::filesystem::path& pool);
  PoolIndex(std::vector<std::string> classes, std::vector<std::uint64_t> ids);

  const std::vector<std::string>& classes() const { return classes_; }
  bool contains(std::uint64_t id) const;
  // The class a label names: an exact class name first, else a decimal index below the count.
  std::optional<std::int32_t> class_of(const std::string& label) const;

 private:
  std::vector<std::string> classes_;
  std::vector<std::uint64_t> sorted_ids_;
};

}  // namespace quarry::ingest

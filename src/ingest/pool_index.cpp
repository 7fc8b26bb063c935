#include "ingest/pool_index.hpp"

#include <algorithm>

#include "files/pool/schema.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

PoolIndex PoolIndex::open(const std::filesystem::path& pool) {
  auto file = pool::PoolFile::open(pool);
  return PoolIndex(file.meta().classes, file.ids().read_all<std::uint64_t>());
}

PoolIndex::PoolIndex(std::vector<std::string> classes, std::vector<std::uint64_t> ids)
    : classes_(std::move(classes)), sorted_ids_(std::move(ids)) {
  std::sort(sorted_ids_.begin(), sorted_ids_.end());
}

bool PoolIndex::contains(std::uint64_t id) const {
  return std::binary_search(sorted_ids_.begin(), sorted_ids_.end(), id);
}

std::optional<std::int32_t> PoolIndex::class_of(const std::string& label) const {
  const auto it = std::find(classes_.begin(), classes_.end(), label);
  if (it != classes_.end()) return static_cast<std::int32_t>(it - classes_.begin());
  std::uint64_t index = 0;
  if (parse_id(label, index) && index < classes_.size()) return static_cast<std::int32_t>(index);
  return std::nullopt;
}

}  // namespace quarry::ingest

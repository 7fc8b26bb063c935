#pragma once
// Gold items: items whose true label is known (a CSV `id,label`, label a class name or index).
// Consensus pins them and annotators are scored against them.
#include <cstdint>
#include <filesystem>
#include <map>

#include "ingest/pool_index.hpp"

namespace quarry::ingest {

std::map<std::uint64_t, std::int32_t> read_gold(const std::filesystem::path& file,
                                                const PoolIndex& pool);

}  // namespace quarry::ingest

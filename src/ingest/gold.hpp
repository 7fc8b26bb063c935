#pragma once
// Gold items: items whose true label is known (a CSV `id,label`, label a class name or index).
// Consensus pins them and annotators are scored against them.
#include <cstdint>
#include <filesystem>
#include <map>
#include <vector>

#include "ingest/pool_index.hpp"

namespace quarry::ingest {

std::map<std::uint64_t, std::int32_t> read_gold(const std::filesystem::path& file,
                                                const PoolIndex& pool);

// Several gold files (for example one per round's export) as one: an item may be listed in
// more than one file, with the same label; a different label is an InputError naming the file.
std::map<std::uint64_t, std::int32_t> read_gold_files(
    const std::vector<std::filesystem::path>& files, const PoolIndex& pool);

}  // namespace quarry::ingest

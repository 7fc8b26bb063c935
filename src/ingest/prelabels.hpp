#pragma once
// Pre-labels: the class the model suggested for each exported item, as quarry export lists it:
// EXPORT.prelabels.csv beside the export folder (`id,predicted_class,probability`), or an
// export's csv/items.csv. Any CSV whose header names `id` and `predicted_class` is read. Ingest
// compares the answers with them (prelabel_acceptance.hpp): how often people kept the model's
// guess is how much labeling work the model saves.
#include <cstdint>
#include <filesystem>
#include <unordered_map>
#include <vector>

#include "ingest/pool_index.hpp"

namespace quarry::ingest {

using PreLabels = std::unordered_map<std::uint64_t, std::int32_t>;  // item id -> class

// An item several files list takes its class from the last one: `quarry cycle` passes the rounds'
// lists oldest first, and a later export showed annotators the later model's guess. Items with
// an empty predicted_class have no pre-label. InputError naming the file and line for a missing
// header column, an id the pool lacks, a class it does not have, or an item listed twice in one
// file.
PreLabels read_prelabel_files(const std::vector<std::filesystem::path>& files,
                              const PoolIndex& pool);

}  // namespace quarry::ingest

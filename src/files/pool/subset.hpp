#pragma once
// A few items of a classification pool copied into a pool file of their own, so that the whole
// scoring machinery (sharding, checkpoints, the scores file) can run on them alone: the label
// audit scores only the held-out labelled items of each fold, not the whole pool.
#include <cstdint>
#include <filesystem>
#include <span>

#include "core/atomic_output.hpp"

namespace quarry::pool {

// Writes the items `ids` of `pool` (in pool order; their labels where it has labels) to `out`.
// An id not in the pool is an InputError naming both; a pool with objects is a UsageError (its
// objects and sources are not copied). Published atomically, like every pool.
void write_pool_subset(const std::filesystem::path& pool, std::span<const std::uint64_t> ids,
                       const std::filesystem::path& out, Overwrite overwrite);

}  // namespace quarry::pool

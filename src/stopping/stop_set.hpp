#pragma once
// The stop set: a fixed sample of the pool, never needing labels, on which successive rounds'
// predictions are compared. It is the `size` items with the smallest seeded hash of their id, a
// function of (seed, ids) alone: the same items every round of a workspace (and the sets of two
// sizes nest), whatever the rank count or the pool's row order.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace quarry::stopping {

// Rows of `ids` in the stop set, ascending.
std::vector<std::size_t> stop_set_rows(const std::vector<std::uint64_t>& ids, std::size_t size,
                                       std::uint64_t seed);

struct StopSetPredictions {
  std::vector<std::uint64_t> ids;  // the stop set, ascending
  std::vector<std::int32_t> pred;  // the scores file's /pred of each
  std::size_t classes = 0;
};

// Reads a scores file's /ids and /pred (checked against its manifest, as every reader of it).
StopSetPredictions stop_set_predictions(const std::filesystem::path& scores, std::size_t size,
                                        std::uint64_t seed);

// Kappa between two rounds' predictions on the stop set. InputError naming `later` when the
// two files do not hold the same stop set (another pool).
double successive_kappa(const std::filesystem::path& earlier, const std::filesystem::path& later,
                        std::size_t size, std::uint64_t seed);

}  // namespace quarry::stopping

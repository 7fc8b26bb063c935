#pragma once
// Which annotators see which item. Consensus needs R independent answers per item and a fair
// share of work per person, and agreement statistics need varied pairings (not the same pair of
// people on every item), so: each item gets R distinct annotators, always the least loaded ones,
// with ties broken by a hash of (seed, item id, annotator) -- deterministic for the same inputs.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace quarry::exporting {

// For each of `ids` (in export order), `per_item` distinct annotator indices in [0, annotators),
// sorted. Loads differ by at most one between any two annotators. UsageError when per_item is 0
// or exceeds the number of annotators.
std::vector<std::vector<std::uint32_t>> assign_annotators(std::span<const std::uint64_t> ids,
                                                          std::uint32_t annotators,
                                                          std::uint32_t per_item,
                                                          std::uint64_t seed);

// Checks --annotators names: non-empty, unique, and safe as file names (letters, digits and
// . _ @ + -), since per-annotator task files are named after them.
void check_annotator_names(const std::vector<std::string>& names);

}  // namespace quarry::exporting

#pragma once
// The folds of out-of-fold prediction: every labeled item in exactly one of `folds` folds, of
// sizes that differ by at most one, by the order of a seeded hash of its id, so the folds are the
// same for any rank count and row order, and an item keeps its fold while the ledger grows
// unless items that hash before it arrive.
#include <cstdint>
#include <vector>

namespace quarry::audit {

// Fold (0 .. folds-1) of each of `ids`, in their order.
std::vector<int> assign_folds(const std::vector<std::uint64_t>& ids, int folds, std::uint64_t seed);

}  // namespace quarry::audit

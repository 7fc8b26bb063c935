#pragma once
// Cohen's kappa: agreement of two labelings of the same items beyond what their class
// frequencies give by chance, (p_o - p_e) / (1 - p_e).
#include <cstdint>
#include <span>

namespace quarry::stopping {

// `a` and `b` label the same items (equal sizes, labels in [0, classes); -1, a detector's "no
// detection", counts as one more class). Two identical labelings have kappa 1, also when they
// use one class only (p_e = 1); no items give 1 as well (nothing changed).
double cohen_kappa(std::span<const std::int32_t> a, std::span<const std::int32_t> b,
                   std::size_t classes);

}  // namespace quarry::stopping

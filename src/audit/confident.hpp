#pragma once
// Confident learning (Northcutt, Jiang and Chuang 2021, "Confident learning: estimating
// uncertainty in dataset labels"): from out-of-fold predicted probabilities, each class's
// threshold is the mean self-confidence of the items labeled with it, t_j = mean p_j(x) over
// items with given label j. An item's confident label is its most probable class among those
// whose probability reaches their threshold; an item whose confident label exists and differs
// from its given label is an off-diagonal entry of the confident joint: flagged as a likely
// wrong label.
#include <cstdint>
#include <span>
#include <vector>

namespace quarry::audit {

struct LabelAudit {
  std::vector<double> thresholds;       // per class; +inf for a class no item is labeled with
  std::vector<std::size_t> flagged;     // rows, ascending
  std::vector<std::int32_t> suggested;  // the confident label of each flagged row
  std::vector<float> suggested_prob;    // its out-of-fold probability
};

// `probs` [n, classes] out-of-fold probabilities, `given` [n] the ledger's labels.
LabelAudit confident_flags(std::span<const float> probs, std::span<const std::int32_t> given,
                           std::size_t classes);

}  // namespace quarry::audit

#include "ingest/consensus/agreement.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace quarry::ingest {

namespace {
constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
}

std::vector<std::int32_t> agreement_counts(const Votes& votes) {
  // Each (item, annotator)'s answers side by side; most items have one per annotator.
  std::vector<Vote> sorted = votes.votes;
  std::sort(sorted.begin(), sorted.end(), [](const Vote& a, const Vote& b) {
    return std::tie(a.item, a.annotator, a.label) < std::tie(b.item, b.annotator, b.label);
  });
  std::vector<std::int32_t> counts(static_cast<std::size_t>(votes.items) * votes.classes, 0);
  const auto same_answerer = [&](std::size_t i, std::size_t j) {
    return sorted[i].item == sorted[j].item && sorted[i].annotator == sorted[j].annotator;
  };
  for (std::size_t first = 0; first < sorted.size();) {
    // Runs of one label, in ascending label order: the first longest run is the commonest
    // answer, the lowest class among equals.
    std::size_t next = first, longest = 0;
    std::int32_t answer = sorted[first].label;
    while (next < sorted.size() && same_answerer(first, next)) {
      std::size_t end = next;
      while (end < sorted.size() && same_answerer(first, end) &&
             sorted[end].label == sorted[next].label)
        ++end;
      if (end - next > longest) longest = end - next, answer = sorted[next].label;
      next = end;
    }
    ++counts[static_cast<std::size_t>(sorted[first].item) * votes.classes + answer];
    first = next;
  }
  return counts;
}

double fleiss_kappa(const std::vector<std::int32_t>& counts, std::int32_t classes) {
  const auto c = static_cast<std::size_t>(classes);
  std::vector<double> class_totals(c, 0.0);
  double pair_share_sum = 0, answers = 0;
  std::size_t rated_items = 0;
  for (std::size_t row = 0; row + c <= counts.size(); row += c) {
    double n = 0, agreeing_pairs = 0;
    for (std::size_t k = 0; k < c; ++k) {
      n += counts[row + k];
      agreeing_pairs += static_cast<double>(counts[row + k]) * (counts[row + k] - 1);
    }
    if (n < 2) continue;
    ++rated_items;
    pair_share_sum += agreeing_pairs / (n * (n - 1));
    for (std::size_t k = 0; k < c; ++k) class_totals[k] += counts[row + k];
    answers += n;
  }
  if (rated_items == 0) return kUndefined;
  const double observed = pair_share_sum / static_cast<double>(rated_items);
  double expected = 0;
  for (double total : class_totals) expected += (total / answers) * (total / answers);
  if (expected >= 1.0) return kUndefined;
  return (observed - expected) / (1.0 - expected);
}

double krippendorff_alpha_nominal(const std::vector<std::int32_t>& counts, std::int32_t classes) {
  const auto c = static_cast<std::size_t>(classes);
  // Only the diagonal of the coincidence matrix and its margins are needed for nominal data:
  // D_o is everything off the diagonal.
  std::vector<double> margin(c, 0.0);
  double diagonal = 0, n = 0;
  for (std::size_t row = 0; row + c <= counts.size(); row += c) {
    double m = 0;
    for (std::size_t k = 0; k < c; ++k) m += counts[row + k];
    if (m < 2) continue;
    for (std::size_t k = 0; k < c; ++k) {
      const double nk = counts[row + k];
      diagonal += nk * (nk - 1) / (m - 1);
      margin[k] += nk;  // row sums of the coincidence matrix are the value counts
    }
    n += m;
  }
  if (n < 2) return kUndefined;
  const double observed_disagreement = n - diagonal;  // sum of off-diagonal coincidences
  double same_value_pairs = 0;
  for (double nk : margin) same_value_pairs += nk * nk;
  const double expected_disagreement = (n * n - same_value_pairs) / (n - 1);
  if (expected_disagreement <= 0) return kUndefined;
  return 1.0 - observed_disagreement / expected_disagreement;
}

std::optional<double> AnnotatorReliability::gold_accuracy() const {
  if (gold_answers == 0) return std::nullopt;
  return static_cast<double>(gold_correct) / gold_answers;
}

double AnnotatorReliability::consensus_accuracy() const {
  return answers > 0 ? static_cast<double>(agree_with_consensus) / answers : kUndefined;
}

std::vector<AnnotatorReliability> annotator_reliability(const Votes& votes,
                                                        const Consensus& consensus) {
  std::vector<AnnotatorReliability> result(static_cast<std::size_t>(votes.annotators));
  for (const auto& vote : votes.votes) {
    auto& r = result[static_cast<std::size_t>(vote.annotator)];
    const auto item = static_cast<std::size_t>(vote.item);
    ++r.answers;
    if (votes.is_gold(vote.item)) {
      ++r.gold_answers;
      r.gold_correct += vote.label == votes.gold[item] ? 1 : 0;
    }
    r.agree_with_consensus += vote.label == consensus.label[item] ? 1 : 0;
  }
  return result;
}

}  // namespace quarry::ingest

#pragma once
// Chance-corrected agreement of a batch and per-annotator reliability.
//
// Both coefficients take the item x class count table (how many annotators gave item i class
// k), because for nominal data neither depends on who gave which answer.
// - Fleiss (1971) kappa: (P - Pe) / (1 - Pe), P the mean over items of the share of agreeing
//   annotator pairs, Pe the sum of squared class shares. Items with fewer than two answers are
//   left out; with unequal answer counts per item this is the usual generalisation (each item's
//   pair share weighted equally).
// - Krippendorff's alpha, nominal metric: 1 - (n - 1) D_o / D_e from the coincidence matrix
//   (every ordered pair of answers within an item counted with weight 1/(m_u - 1)); items with
//   fewer than two answers are unpairable and left out. Missing answers are allowed.
// Both are NaN when they are undefined (no item with two answers, or only one class used).
//
// Both measure agreement between annotators, and both assume one answer per annotator and
// item: two answers of one annotator on an item would count as a pair of annotators agreeing
// (Dawid and Skene's observer 1, rating every patient three times, would mostly agree with
// himself). agreement_counts() therefore reduces an annotator's repeated answers on an item to
// one, the class they gave most often there (a tie: the lower class index). Consensus (majority
// vote and Dawid-Skene) counts every answer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

// The item x class count table with one answer per annotator and item (see above).
std::vector<std::int32_t> agreement_counts(const Votes& votes);

double fleiss_kappa(const std::vector<std::int32_t>& counts, std::int32_t classes);
double krippendorff_alpha_nominal(const std::vector<std::int32_t>& counts, std::int32_t classes);

struct AnnotatorReliability {
  std::int32_t answers = 0;
  std::int32_t gold_answers = 0;  // answers on gold items
  std::int32_t gold_correct = 0;
  std::int32_t agree_with_consensus = 0;  // answers equal to the item's consensus label

  std::optional<double> gold_accuracy() const;
  double consensus_accuracy() const;
};

// Per annotator: answers, accuracy against gold items and against `consensus` labels.
std::vector<AnnotatorReliability> annotator_reliability(const Votes& votes,
                                                        const Consensus& consensus);

}  // namespace quarry::ingest

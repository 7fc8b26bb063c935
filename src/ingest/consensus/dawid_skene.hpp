#pragma once
// Dawid and Skene (1979): maximum-likelihood consensus with one confusion matrix per annotator,
// fitted by EM. Each annotator a answers l for an item of true class k with probability
// pi[a][k][l]; classes have priors p[k]. Starting from each item's vote proportions, the M-step
// re-estimates p and pi from the current class posteriors, the E-step recomputes the posteriors
// (in log space, so hundreds of votes per item never underflow). Gold items stay pinned to their
// known class. Every answer counts, an annotator's repeated answers on one item too (Dawid and
// Skene's observer 1 rated every patient three times).
//
// Two priors on the confusion matrices:
// - hierarchical (default): each annotator's matrix is shrunk toward pooled estimates with
//   strengths fitted to the data, and an item's posterior comes from the other items' answers
//   (PooledConfusion). Its confidence is calibrated at any batch size: on a round of a hundred
//   items a three-way split between equally reliable annotators stays near 1/3 per class.
// - flat: the published method, with `smoothing` and `diagonal_prior` pseudo-counts in every
//   annotator's matrix (0 and 0 reproduce the paper). Fitted on few items per annotator it is
//   overconfident: the item's own answers and single chance confusions make splits look sure.
// Both stop when the log-likelihood (under the current point estimates) changes by less than
// `tolerance` x |log-likelihood| (relative, so the stopping point does not depend on the batch
// size).
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/consensus/pooled_confusion.hpp"
#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

enum class ConfusionPrior { hierarchical, flat };
ConfusionPrior parse_confusion_prior(const std::string& name);  // UsageError otherwise
const char* confusion_prior_name(ConfusionPrior prior);         // what parse_ takes

struct DawidSkeneOptions {
  double tolerance = 1e-9;  // stop when the log-likelihood changes by less than this share
  int max_iterations = 1000;
  ConfusionPrior prior = ConfusionPrior::hierarchical;
  // Pseudo-count added to every confusion-matrix cell (flat: each annotator's; hierarchical: the
  // crowd's pooled matrix). 0 is the published method; a little keeps a class never answered
  // from being ruled out (a zero cell vetoes a class).
  double smoothing = 0.01;
  // Extra pseudo-count on each diagonal cell: a prior belief that annotators are right more
  // often than not. Flat: without it, an annotator seen on one or two items (a consolidated
  // Ground Truth job, a late adjudicator) can be fitted as "always wrong" and flip sure labels;
  // with a few hundred answers per annotator it no longer matters. Hierarchical: it nudges the
  // crowd's accuracy, which such an annotator inherits. 0 with smoothing 0 (flat) is the
  // published method.
  double diagonal_prior = 2.0;

  bool operator==(const DawidSkeneOptions&) const = default;
};

struct DawidSkeneResult {
  Consensus consensus;            // MAP label per item (ties: lower class), its posterior
  std::vector<double> posterior;  // [item * classes + k]
  std::vector<double> priors;     // [k]
  std::vector<double> confusion;  // [(annotator * classes + true) * classes + answered]
  double log_likelihood = 0;      // of the observed votes under the fitted model
  PoolingStrengths pooling;       // hierarchical prior: the fitted strengths (flat: zeros)
  int iterations = 0;
  bool converged = false;

  // Expected share of correct answers by `annotator`: sum_k p[k] pi[a][k][k].
  double estimated_accuracy(std::int32_t annotator) const;
};

DawidSkeneResult dawid_skene(const Votes& votes, const DawidSkeneOptions& options = {});

}  // namespace quarry::ingest

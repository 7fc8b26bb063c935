#pragma once
// Dawid and Skene (1979): maximum-likelihood consensus with one confusion matrix per annotator,
// fitted by EM. Each annotator a answers l for an item of true class k with probability
// pi[a][k][l]; classes have priors p[k]. Starting from each item's vote proportions, the M-step
// re-estimates p and pi from the current class posteriors, the E-step recomputes the posteriors
// (in log space, so hundreds of votes per item never underflow); it stops when the
// log-likelihood gains less than `tolerance` x |log-likelihood| (relative, so the stopping
// point does not depend on the batch size). Gold items stay pinned to their known class.
#include <cstdint>
#include <vector>

#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

struct DawidSkeneOptions {
  double tolerance = 1e-9;  // stop when the log-likelihood improves by less than this share
  int max_iterations = 1000;
  // Pseudo-count added to every confusion-matrix cell. 0 is the published method; a little
  // keeps an annotator seen on few items from claiming certainty (a zero cell vetoes a class).
  double smoothing = 0.01;
  // Extra pseudo-count on each diagonal cell: a prior belief that annotators are right more
  // often than not. Without it, an annotator seen on one or two items (a consolidated Ground
  // Truth job, a late adjudicator) can be fitted as "always wrong" and flip sure labels; with
  // a few hundred answers per annotator it no longer matters. 0 with smoothing 0 is the
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
  int iterations = 0;
  bool converged = false;

  // Expected share of correct answers by `annotator`: sum_k p[k] pi[a][k][k].
  double estimated_accuracy(std::int32_t annotator) const;
};

DawidSkeneResult dawid_skene(const Votes& votes, const DawidSkeneOptions& options = {});

}  // namespace quarry::ingest

#pragma once
// Dawid-Skene's confusion matrices under a hierarchical prior fitted by empirical Bayes, and the
// posterior of an item from all the other items' answers.
//
// One confusion matrix per annotator has K x K cells; a round of a hundred items gives each row
// a handful of answers, most off-diagonal cells none or one. Fitted on their own (and on the
// item being judged, whose answers then vouch for themselves) they make a three-way split look
// certain: the class whose "confusions" happen to have been seen wins at posterior ~1. Here each
// level is shrunk toward the one above, as in Kim and Ghahramani's Bayesian classifier
// combination and the pooled and hierarchical models of Passonneau and Carpenter:
//   crowd:     accuracy p0 (share of right answers, all annotators) and error pattern r_k (which
//              wrong class true class k is taken for), r_k shrunk toward uniform (strength u);
//   annotator: accuracy p_a = (right_a + c p0) / (answers_a + c);
//   row:       pi_a[k][l] = (N_akl + s q_akl) / (N_ak + s), q_akl = p_a for l == k, else
//              (1 - p_a) r_k[l];
//   classes:   p_k = (N_k + alpha / K) / (N + alpha).
// The strengths u, c, s and alpha are fitted to how much the lower level varies beyond
// sampling noise (Overdispersion: Dirichlet-multinomial maximum likelihood): annotators who are
// equally reliable get equal accuracies, a real difference (or a real class-specific confusion)
// shows through, and more than at few answers, since a strength is a fixed number of
// pseudo-answers.
//
// An item's posterior then counts every other item's answers, not its own: the counts, the
// annotator's accuracy and the class total are taken without what this item contributed under
// its current posterior (the predictive distribution of its answers given the rest). This is
// what makes the posterior of a three-way split between equal annotators about 1/3 each.
// `smoothing` and `diagonal_prior` are pseudo-counts on the crowd's pooled matrix.
#include <cstdint>
#include <vector>

#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

// The fitted strengths (pseudo-answers); infinite: that level is pooled entirely.
struct PoolingStrengths {
  double error_pattern = 0;  // u
  double accuracy = 0;       // c
  double rows = 0;           // s
  double class_priors = 0;   // alpha
};

class PooledConfusion {
 public:
  // Fits every level to the answers weighted by the items' current posteriors (`weight[i]`
  // items share item i's answers: response patterns).
  PooledConfusion(const Votes& votes, const std::vector<double>& weight,
                  const std::vector<double>& posterior, double smoothing, double diagonal_prior);

  // log p(k) + sum over the item's answers of log pi_a[k][l], each k, leaving out what the item
  // itself put into the counts under its posterior `own`. The answers [begin, end) are sorted
  // by annotator, then label (as compress_patterns writes them).
  void held_out_joint(const Vote* begin, const Vote* end, const double* own,
                      std::vector<double>& joint) const;
  // The point estimates: priors[k] and confusion[(a * K + k) * K + l].
  std::vector<double> priors() const;
  std::vector<double> confusion() const;
  const PoolingStrengths& strengths() const { return strengths_; }

 private:
  void count_answers(const Votes& votes, const std::vector<double>& weight,
                     const std::vector<double>& posterior);
  void fit_crowd(double smoothing, double diagonal_prior);
  void fit_accuracies();
  void fit_rows();
  void fit_class_priors();
  // The arguments remove one item's share from the counts (0: the full estimate).
  double accuracy(std::size_t a, double right_removed, double answers_removed) const;
  double answer_probability(std::size_t a, std::size_t k, std::size_t l, double accuracy,
                            double cell_removed, double row_removed) const;
  double class_prior(std::size_t k, double removed, double items_removed) const;

  std::size_t classes_, annotators_;
  std::vector<double> counts_;       // N[(a * K + k) * K + l]
  std::vector<double> row_total_;    // N[a * K + k]
  std::vector<double> right_;        // per annotator: sum_k N[a][k][k]
  std::vector<double> answers_;      // per annotator: sum of its rows
  std::vector<double> class_total_;  // N_k
  double items_ = 0;
  double crowd_accuracy_ = 0;          // p0
  std::vector<double> error_pattern_;  // r[k * K + l], 0 on the diagonal
  PoolingStrengths strengths_;
};

}  // namespace quarry::ingest

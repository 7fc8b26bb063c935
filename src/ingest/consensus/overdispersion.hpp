#pragma once
// How much rows of counts vary around the probabilities a pooled model expects for them, as
// the concentration s of a Dirichlet prior on each row's probabilities: rows drawn as
// Dirichlet-multinomial(n, s x expected) (Mosimann 1962), s fitted by maximum likelihood.
//
// Rows that vary no more than multinomial sampling noise give an infinite strength (the pooled
// model explains them: use it as it is), rows that vary more a finite one, which a row's own
// counts outweigh once they are many. Maximum likelihood rather than a moment estimate: with a
// handful of answers per row most expected counts are far below 1, where Pearson's X^2 is
// dominated by single chance counts and finds spread in pure noise. Counts may be fractional
// (posterior-weighted); the likelihood is continuous in them, so the fitted strength does not
// jump as EM moves the counts.
#include <cstddef>
#include <limits>
#include <vector>

namespace quarry::ingest {

class Overdispersion {
 public:
  static constexpr double kNone = std::numeric_limits<double>::infinity();

  // One row: its counts and the probabilities the pooled model gives its cells (cells with
  // probability 0 are left out).
  void add_row(const double* counts, const double* expected, std::size_t cells);
  // The prior strength s: kNone (infinite) when no finite s explains the rows better than the
  // pooled probabilities themselves.
  double concentration() const;

 private:
  // Log-likelihood of the rows at strength s, less that at s infinite.
  double log_likelihood_gain(double s) const;

  std::vector<double> counts_, expected_;  // the cells with counts, row after row
  std::vector<std::size_t> row_end_;       // row r's cells end at row_end_[r]
  std::vector<double> totals_;             // row r's count
};

}  // namespace quarry::ingest

#include "ingest/consensus/overdispersion.hpp"

#include <algorithm>
#include <cmath>

namespace quarry::ingest {

void Overdispersion::add_row(const double* counts, const double* expected, std::size_t cells) {
  for (std::size_t c = 0; c < cells; ++c)
    if (expected[c] > 0 && counts[c] > 0) {
      counts_.push_back(counts[c]);
      expected_.push_back(expected[c]);
    }
  double n = 0;
  for (std::size_t c = 0; c < cells; ++c)
    if (expected[c] > 0) n += counts[c];
  row_end_.push_back(counts_.size());
  totals_.push_back(n);
}

// Dirichlet-multinomial log-likelihood of the rows at concentration s, less the multinomial's
// (s infinite); the combinatorial terms are the same in both and cancel.
double Overdispersion::log_likelihood_gain(double s) const {
  double gain = 0;
  std::size_t cell = 0;
  for (std::size_t r = 0; r < totals_.size(); ++r) {
    gain += std::lgamma(s) - std::lgamma(totals_[r] + s) + totals_[r] * std::log(s);
    for (; cell < row_end_[r]; ++cell) {
      const double alpha = s * expected_[cell];
      gain +=
          std::lgamma(counts_[cell] + alpha) - std::lgamma(alpha) - counts_[cell] * std::log(alpha);
    }
  }
  return gain;
}

double Overdispersion::concentration() const {
  // Golden-section search on log s over [1e-2, 1e7] (the gain is unimodal in s); the pooled
  // probabilities win ties.
  double lo = std::log(1e-2), hi = std::log(1e7);
  const double golden = (std::sqrt(5.0) - 1) / 2;
  double a = hi - golden * (hi - lo), b = lo + golden * (hi - lo);
  double fa = log_likelihood_gain(std::exp(a)), fb = log_likelihood_gain(std::exp(b));
  for (int i = 0; i < 48; ++i) {
    if (fa > fb) {
      hi = b, b = a, fb = fa;
      a = hi - golden * (hi - lo);
      fa = log_likelihood_gain(std::exp(a));
    } else {
      lo = a, a = b, fa = fb;
      b = lo + golden * (hi - lo);
      fb = log_likelihood_gain(std::exp(b));
    }
  }
  const double best = std::exp((lo + hi) / 2);
  return log_likelihood_gain(best) > 0 ? best : kNone;
}

}  // namespace quarry::ingest

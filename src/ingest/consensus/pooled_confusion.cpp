#include "ingest/consensus/pooled_confusion.hpp"

#include <algorithm>
#include <cmath>

#include "ingest/consensus/overdispersion.hpp"

namespace quarry::ingest {

namespace {
constexpr double kPooled = Overdispersion::kNone;

// (count + strength x share) / (total + strength): a count shrunk toward `share`; the share
// itself when the strength is infinite.
double shrunk(double count, double total, double strength, double share) {
  if (strength == kPooled) return share;
  return (std::max(0.0, count) + strength * share) / (std::max(0.0, total) + strength);
}
}  // namespace

PooledConfusion::PooledConfusion(const Votes& votes, const std::vector<double>& weight,
                                 const std::vector<double>& posterior, double smoothing,
                                 double diagonal_prior)
    : classes_(static_cast<std::size_t>(votes.classes)),
      annotators_(static_cast<std::size_t>(votes.annotators)) {
  count_answers(votes, weight, posterior);
  fit_crowd(smoothing, diagonal_prior);
  fit_accuracies();
  fit_rows();
  fit_class_priors();
}

void PooledConfusion::count_answers(const Votes& votes, const std::vector<double>& weight,
                                    const std::vector<double>& posterior) {
  const auto K = classes_;
  counts_.assign(annotators_ * K * K, 0.0);
  class_total_.assign(K, 0.0);
  for (const auto& vote : votes.votes) {
    const auto* row = posterior.data() + static_cast<std::size_t>(vote.item) * K;
    auto* matrix = counts_.data() + static_cast<std::size_t>(vote.annotator) * K * K;
    const double w = weight[static_cast<std::size_t>(vote.item)];
    for (std::size_t k = 0; k < K; ++k) matrix[k * K + vote.label] += w * row[k];
  }
  for (std::size_t i = 0; i < weight.size(); ++i) {
    for (std::size_t k = 0; k < K; ++k) class_total_[k] += weight[i] * posterior[i * K + k];
    items_ += weight[i];
  }
  row_total_.assign(annotators_ * K, 0.0);
  right_.assign(annotators_, 0.0);
  answers_.assign(annotators_, 0.0);
  for (std::size_t a = 0; a < annotators_; ++a)
    for (std::size_t k = 0; k < K; ++k) {
      for (std::size_t l = 0; l < K; ++l) row_total_[a * K + k] += counts_[(a * K + k) * K + l];
      right_[a] += counts_[(a * K + k) * K + k];
      answers_[a] += row_total_[a * K + k];
    }
}

void PooledConfusion::fit_crowd(double smoothing, double diagonal_prior) {
  const auto K = classes_;
  std::vector<double> pooled(K * K, smoothing);
  for (std::size_t k = 0; k < K; ++k) pooled[k * K + k] += diagonal_prior;
  for (std::size_t a = 0; a < annotators_; ++a)
    for (std::size_t cell = 0; cell < K * K; ++cell) pooled[cell] += counts_[a * K * K + cell];
  double right = 0, all = 0;
  for (std::size_t cell = 0; cell < K * K; ++cell) {
    all += pooled[cell];
    right += cell % (K + 1) == 0 ? pooled[cell] : 0.0;
  }
  crowd_accuracy_ = all > 0 ? right / all : 0.5;

  // Errors of each true class, against errors spread evenly over the other classes.
  std::vector<double> uniform(K, K > 1 ? 1.0 / static_cast<double>(K - 1) : 0.0);
  Overdispersion spread;
  for (std::size_t k = 0; k < K; ++k) {
    uniform[k] = 0;
    spread.add_row(pooled.data() + k * K, uniform.data(), K);
    uniform[k] = K > 1 ? 1.0 / static_cast<double>(K - 1) : 0.0;
  }
  strengths_.error_pattern = spread.concentration();
  error_pattern_.assign(K * K, 0.0);
  for (std::size_t k = 0; k < K; ++k) {
    double errors = 0;
    for (std::size_t l = 0; l < K; ++l) errors += l == k ? 0.0 : pooled[k * K + l];
    for (std::size_t l = 0; l < K; ++l)
      if (l != k)
        error_pattern_[k * K + l] =
            shrunk(pooled[k * K + l], errors, strengths_.error_pattern, uniform[l]);
  }
}

void PooledConfusion::fit_accuracies() {
  Overdispersion spread;
  const double expected[] = {crowd_accuracy_, 1 - crowd_accuracy_};
  for (std::size_t a = 0; a < annotators_; ++a) {
    const double observed[] = {right_[a], answers_[a] - right_[a]};
    spread.add_row(observed, expected, 2);
  }
  strengths_.accuracy = spread.concentration();
}

void PooledConfusion::fit_rows() {
  const auto K = classes_;
  Overdispersion spread;
  std::vector<double> expected(K);
  for (std::size_t a = 0; a < annotators_; ++a) {
    const double p = accuracy(a, 0, 0);
    for (std::size_t k = 0; k < K; ++k) {
      for (std::size_t l = 0; l < K; ++l)
        expected[l] = l == k ? p : (1 - p) * error_pattern_[k * K + l];
      spread.add_row(counts_.data() + (a * K + k) * K, expected.data(), K);
    }
  }
  strengths_.rows = spread.concentration();
}

void PooledConfusion::fit_class_priors() {
  const std::vector<double> uniform(classes_, 1.0 / static_cast<double>(classes_));
  Overdispersion spread;
  spread.add_row(class_total_.data(), uniform.data(), classes_);
  strengths_.class_priors = spread.concentration();
}

double PooledConfusion::accuracy(std::size_t a, double right_removed,
                                 double answers_removed) const {
  return shrunk(right_[a] - right_removed, answers_[a] - answers_removed, strengths_.accuracy,
                crowd_accuracy_);
}

double PooledConfusion::answer_probability(std::size_t a, std::size_t k, std::size_t l,
                                           double accuracy, double cell_removed,
                                           double row_removed) const {
  const double expected = l == k ? accuracy : (1 - accuracy) * error_pattern_[k * classes_ + l];
  return shrunk(counts_[(a * classes_ + k) * classes_ + l] - cell_removed,
                row_total_[a * classes_ + k] - row_removed, strengths_.rows, expected);
}

double PooledConfusion::class_prior(std::size_t k, double removed, double items_removed) const {
  return shrunk(class_total_[k] - removed, items_ - items_removed, strengths_.class_priors,
                1.0 / static_cast<double>(classes_));
}

void PooledConfusion::held_out_joint(const Vote* begin, const Vote* end, const double* own,
                                     std::vector<double>& joint) const {
  const auto K = classes_;
  for (std::size_t k = 0; k < K; ++k) joint[k] = std::log(class_prior(k, own[k], 1));
  for (const Vote* first = begin; first != end;) {
    // This annotator's answers on the item, and what they add to its accuracy.
    const Vote* last = first;
    double right = 0;
    for (; last != end && last->annotator == first->annotator; ++last) right += own[last->label];
    const auto a = static_cast<std::size_t>(first->annotator);
    const auto answers = static_cast<double>(last - first);
    const double p = accuracy(a, right, answers);
    for (const Vote* same = first; same != last;) {
      const Vote* next = same;
      while (next != last && next->label == same->label) ++next;
      const auto l = static_cast<std::size_t>(same->label);
      const auto repeats = static_cast<double>(next - same);
      for (std::size_t k = 0; k < K; ++k)
        joint[k] +=
            repeats * std::log(answer_probability(a, k, l, p, repeats * own[k], answers * own[k]));
      same = next;
    }
    first = last;
  }
}

std::vector<double> PooledConfusion::priors() const {
  std::vector<double> p(classes_);
  for (std::size_t k = 0; k < classes_; ++k) p[k] = class_prior(k, 0, 0);
  return p;
}

std::vector<double> PooledConfusion::confusion() const {
  const auto K = classes_;
  std::vector<double> pi(annotators_ * K * K);
  for (std::size_t a = 0; a < annotators_; ++a) {
    const double p = accuracy(a, 0, 0);
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t l = 0; l < K; ++l)
        pi[(a * K + k) * K + l] = answer_probability(a, k, l, p, 0, 0);
  }
  return pi;
}

}  // namespace quarry::ingest

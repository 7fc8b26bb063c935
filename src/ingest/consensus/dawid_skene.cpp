#include "ingest/consensus/dawid_skene.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "ingest/consensus/response_patterns.hpp"

namespace quarry::ingest {

namespace {

// Votes grouped by item: item i's votes are sorted[offset[i] .. offset[i+1]).
struct ByItem {
  std::vector<Vote> sorted;
  std::vector<std::size_t> offset;
};

ByItem group_by_item(const Votes& votes) {
  ByItem by;
  by.sorted = votes.votes;
  std::stable_sort(by.sorted.begin(), by.sorted.end(),
                   [](const Vote& a, const Vote& b) { return a.item < b.item; });
  by.offset.assign(static_cast<std::size_t>(votes.items) + 1, 0);
  for (const auto& vote : by.sorted) ++by.offset[static_cast<std::size_t>(vote.item) + 1];
  for (std::size_t i = 1; i < by.offset.size(); ++i) by.offset[i] += by.offset[i - 1];
  return by;
}

void pin_gold(const Votes& votes, std::vector<double>& posterior) {
  const auto classes = static_cast<std::size_t>(votes.classes);
  for (std::int32_t item = 0; item < votes.items; ++item) {
    if (!votes.is_gold(item)) continue;
    auto* row = posterior.data() + static_cast<std::size_t>(item) * classes;
    std::fill(row, row + classes, 0.0);
    row[votes.gold[static_cast<std::size_t>(item)]] = 1.0;
  }
}

// Initial posteriors: each item's vote proportions (uniform for an item without votes).
std::vector<double> vote_proportions(const Votes& votes) {
  const auto classes = static_cast<std::size_t>(votes.classes);
  const auto counts = votes.count_table();
  std::vector<double> posterior(counts.size());
  for (std::size_t item = 0; item < static_cast<std::size_t>(votes.items); ++item) {
    double total = 0;
    for (std::size_t k = 0; k < classes; ++k) total += counts[item * classes + k];
    for (std::size_t k = 0; k < classes; ++k)
      posterior[item * classes + k] =
          total > 0 ? counts[item * classes + k] / total : 1.0 / static_cast<double>(classes);
  }
  pin_gold(votes, posterior);
  return posterior;
}

// M-step: priors and confusion matrices from the posteriors.
void maximize(const Votes& votes, const std::vector<double>& weight,
              const std::vector<double>& posterior, const DawidSkeneOptions& options,
              DawidSkeneResult& model) {
  const auto classes = static_cast<std::size_t>(votes.classes);
  model.priors.assign(classes, 0.0);
  double items = 0;
  for (std::size_t i = 0; i < posterior.size(); ++i)
    model.priors[i % classes] += weight[i / classes] * posterior[i];
  for (double w : weight) items += w;
  for (auto& p : model.priors) p /= std::max(items, 1.0);

  model.confusion.assign(static_cast<std::size_t>(votes.annotators) * classes * classes,
                         options.smoothing);
  // Row r of the stacked matrices is true class r % classes: its diagonal cell is r % classes.
  for (std::size_t r = 0; r < model.confusion.size() / classes; ++r)
    model.confusion[r * classes + r % classes] += options.diagonal_prior;
  for (const auto& vote : votes.votes) {
    const auto* row = posterior.data() + static_cast<std::size_t>(vote.item) * classes;
    auto* matrix =
        model.confusion.data() + static_cast<std::size_t>(vote.annotator) * classes * classes;
    const double w = weight[static_cast<std::size_t>(vote.item)];
    for (std::size_t k = 0; k < classes; ++k) matrix[k * classes + vote.label] += w * row[k];
  }
  for (std::size_t r = 0; r < model.confusion.size(); r += classes) {
    double total = 0;
    for (std::size_t l = 0; l < classes; ++l) total += model.confusion[r + l];
    for (std::size_t l = 0; l < classes; ++l)
      // A true class this annotator never met: its row does not matter, keep it uniform.
      model.confusion[r + l] =
          total > 0 ? model.confusion[r + l] / total : 1.0 / static_cast<double>(classes);
  }
}

// E-step: `joint(begin, end, own, joint)` gives log p(k) + sum over the item's votes of
// log p(answer | k) (own: the item's current posterior), normalised per item in log space.
// Returns the log-likelihood of the votes under that joint. "Items" here are response patterns,
// each standing for weight[p] items. The posterior is updated in place, item by item.
template <class Joint>
double expect(const Votes& votes, const std::vector<double>& weight, const ByItem& by,
              Joint&& joint_of, std::vector<double>& posterior) {
  const auto classes = static_cast<std::size_t>(votes.classes);
  std::vector<double> joint(classes);
  double log_likelihood = 0;
  for (std::size_t item = 0; item < static_cast<std::size_t>(votes.items); ++item) {
    auto* row = posterior.data() + item * classes;
    joint_of(by.sorted.data() + by.offset[item], by.sorted.data() + by.offset[item + 1], row,
             joint);
    const auto gold = votes.is_gold(static_cast<std::int32_t>(item)) ? votes.gold[item] : kNoGold;
    if (gold != kNoGold) {
      // A pinned item contributes the likelihood of its votes under the known class.
      log_likelihood += weight[item] * joint[static_cast<std::size_t>(gold)];
      continue;
    }
    const double top = *std::max_element(joint.begin(), joint.end());
    if (!std::isfinite(top)) {  // every class ruled out (only possible without smoothing)
      std::fill(row, row + classes, 1.0 / static_cast<double>(classes));
      log_likelihood = -std::numeric_limits<double>::infinity();
      continue;
    }
    double sum = 0;
    for (std::size_t k = 0; k < classes; ++k) sum += std::exp(joint[k] - top);
    const double log_sum = top + std::log(sum);
    log_likelihood += weight[item] * log_sum;
    for (std::size_t k = 0; k < classes; ++k) row[k] = std::exp(joint[k] - log_sum);
  }
  return log_likelihood;
}

// The joint under the model's point estimates (priors and confusion matrices).
class PointJoint {
 public:
  explicit PointJoint(const DawidSkeneResult& model)
      : classes_(model.priors.size()),
        log_prior_(model.priors.size()),
        log_confusion_(model.confusion.size()) {
    for (std::size_t k = 0; k < classes_; ++k) log_prior_[k] = std::log(model.priors[k]);
    for (std::size_t i = 0; i < log_confusion_.size(); ++i)
      log_confusion_[i] = std::log(model.confusion[i]);
  }
  void operator()(const Vote* begin, const Vote* end, const double*,
                  std::vector<double>& joint) const {
    joint = log_prior_;
    for (const Vote* vote = begin; vote != end; ++vote) {
      const auto* matrix =
          log_confusion_.data() + static_cast<std::size_t>(vote->annotator) * classes_ * classes_;
      for (std::size_t k = 0; k < classes_; ++k) joint[k] += matrix[k * classes_ + vote->label];
    }
  }

 private:
  std::size_t classes_;
  std::vector<double> log_prior_, log_confusion_;
};

// One iteration of each prior; both return the log-likelihood under the point estimates.
double flat_iteration(const Votes& votes, const std::vector<double>& weight, const ByItem& by,
                      const DawidSkeneOptions& options, DawidSkeneResult& model,
                      std::vector<double>& posterior) {
  maximize(votes, weight, posterior, options, model);
  return expect(votes, weight, by, PointJoint(model), posterior);
}

double hierarchical_iteration(const Votes& votes, const std::vector<double>& weight,
                              const ByItem& by, const DawidSkeneOptions& options,
                              DawidSkeneResult& model, std::vector<double>& posterior) {
  const PooledConfusion fit(votes, weight, posterior, options.smoothing, options.diagonal_prior);
  model.priors = fit.priors();
  model.confusion = fit.confusion();
  model.pooling = fit.strengths();
  std::vector<double> scratch = posterior;
  const double log_likelihood = expect(votes, weight, by, PointJoint(model), scratch);
  scratch = posterior;
  expect(
      votes, weight, by,
      [&fit](const Vote* begin, const Vote* end, const double* own, std::vector<double>& joint) {
        fit.held_out_joint(begin, end, own, joint);
      },
      scratch);
  // Half a step: refitting the strengths each time can make the plain update circle between
  // a few states (an item near a tie flips, which moves a strength, which flips it back). The
  // average has the same fixed points and converges to them.
  for (std::size_t i = 0; i < posterior.size(); ++i)
    posterior[i] = 0.5 * (posterior[i] + scratch[i]);
  return log_likelihood;
}

Consensus map_labels(const Votes& votes, const std::vector<double>& posterior) {
  const auto classes = static_cast<std::size_t>(votes.classes);
  Consensus consensus;
  consensus.votes.assign(static_cast<std::size_t>(votes.items), 0);
  for (const auto& vote : votes.votes) ++consensus.votes[static_cast<std::size_t>(vote.item)];
  for (std::size_t item = 0; item < static_cast<std::size_t>(votes.items); ++item) {
    const auto* row = posterior.data() + item * classes;
    const auto best = static_cast<std::size_t>(std::max_element(row, row + classes) - row);
    consensus.label.push_back(static_cast<std::int32_t>(best));
    consensus.confidence.push_back(row[best]);
  }
  return consensus;
}

}  // namespace

ConfusionPrior parse_confusion_prior(const std::string& name) {
  if (name == "hierarchical") return ConfusionPrior::hierarchical;
  if (name == "flat") return ConfusionPrior::flat;
  throw UsageError("unknown confusion prior '" + name + "'", "use hierarchical or flat");
}

const char* confusion_prior_name(ConfusionPrior prior) {
  return prior == ConfusionPrior::flat ? "flat" : "hierarchical";
}

double DawidSkeneResult::estimated_accuracy(std::int32_t annotator) const {
  const auto classes = priors.size();
  const auto* matrix = confusion.data() + static_cast<std::size_t>(annotator) * classes * classes;
  double accuracy = 0;
  for (std::size_t k = 0; k < classes; ++k) accuracy += priors[k] * matrix[k * classes + k];
  return accuracy;
}

DawidSkeneResult dawid_skene(const Votes& votes, const DawidSkeneOptions& options) {
  votes.check();
  const ResponsePatterns patterns = compress_patterns(votes);
  const ByItem by = group_by_item(patterns.votes);
  DawidSkeneResult model;
  std::vector<double> posterior = vote_proportions(patterns.votes);
  double previous = -std::numeric_limits<double>::infinity();
  const bool flat = options.prior == ConfusionPrior::flat;
  for (model.iterations = 1; model.iterations <= options.max_iterations; ++model.iterations) {
    model.log_likelihood =
        flat ? flat_iteration(patterns.votes, patterns.weight, by, options, model, posterior)
             : hierarchical_iteration(patterns.votes, patterns.weight, by, options, model,
                                      posterior);
    // EM never lowers the likelihood: a gain below the tolerance means it has converged. The
    // hierarchical iteration is not EM on one likelihood (its strengths are refitted each
    // time), so it waits until the likelihood stops moving either way.
    const double change = model.log_likelihood - previous;
    if ((flat ? change : std::abs(change)) <
        options.tolerance * std::max(1.0, std::abs(model.log_likelihood))) {
      model.converged = true;
      break;
    }
    previous = model.log_likelihood;
  }
  model.iterations = std::min(model.iterations, options.max_iterations);
  const auto classes = static_cast<std::size_t>(votes.classes);
  model.posterior.resize(static_cast<std::size_t>(votes.items) * classes);
  for (std::size_t item = 0; item < patterns.of_item.size(); ++item) {
    const auto* row = posterior.data() + static_cast<std::size_t>(patterns.of_item[item]) * classes;
    std::copy(row, row + classes, model.posterior.begin() + static_cast<long>(item * classes));
  }
  model.consensus = map_labels(votes, model.posterior);
  return model;
}

}  // namespace quarry::ingest

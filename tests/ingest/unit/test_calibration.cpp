// Dawid-Skene's confidence on simulated crowds: calibrated on a large batch (expected
// calibration error) and on rounds of a hundred items, where a three-way split between equally
// reliable annotators must go to adjudication. The flat prior (the published method) is
// measured beside it: it is what the hierarchical prior fixes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "ingest/consensus/dawid_skene.hpp"
#include "ingest/consensus/overdispersion.hpp"

namespace quarry::ingest {
namespace {

struct Crowd {
  Votes votes;
  std::vector<std::int32_t> truth;
};

// `items` items of uniformly drawn classes; each answered by `per_item` distinct annotators
// drawn from `accuracy` (all of them when there are no more); a wrong answer is any other class.
Crowd simulate(std::uint64_t seed, std::int32_t items, std::int32_t classes,
               const std::vector<double>& accuracy, std::int32_t per_item = 3) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::int32_t> any_class(0, classes - 1), other(1, classes - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  Crowd crowd;
  crowd.votes.classes = classes;
  crowd.votes.items = items;
  crowd.votes.annotators = static_cast<std::int32_t>(accuracy.size());
  std::vector<std::int32_t> annotators(accuracy.size());
  for (std::size_t a = 0; a < annotators.size(); ++a) annotators[a] = static_cast<std::int32_t>(a);
  for (std::int32_t item = 0; item < items; ++item) {
    const std::int32_t truth = any_class(random);
    crowd.truth.push_back(truth);
    std::shuffle(annotators.begin(), annotators.end(), random);
    for (std::int32_t n = 0; n < per_item; ++n) {
      const auto a = annotators[static_cast<std::size_t>(n)];
      std::int32_t label = truth;
      if (unit(random) >= accuracy[static_cast<std::size_t>(a)])
        label = (label + other(random)) % classes;
      crowd.votes.votes.push_back({item, a, label});
    }
  }
  return crowd;
}

// Confidence of each consensus label and whether it is the true class.
struct Calls {
  std::vector<double> confidence;
  std::vector<bool> correct;

  void add(const Consensus& consensus, const std::vector<std::int32_t>& truth) {
    for (std::size_t i = 0; i < truth.size(); ++i) {
      confidence.push_back(consensus.confidence[i]);
      correct.push_back(consensus.label[i] == truth[i]);
    }
  }
  // Expected calibration error: 10 equal-width confidence bins, |accuracy - mean confidence|
  // weighted by each bin's share of the calls.
  double expected_calibration_error() const {
    constexpr int kBins = 10;
    double confidence_sum[kBins] = {}, right[kBins] = {}, count[kBins] = {};
    for (std::size_t i = 0; i < confidence.size(); ++i) {
      const int bin = std::min(kBins - 1, static_cast<int>(confidence[i] * kBins));
      confidence_sum[bin] += confidence[i];
      right[bin] += correct[i] ? 1 : 0;
      ++count[bin];
    }
    double error = 0;
    for (int b = 0; b < kBins; ++b)
      if (count[b] > 0) error += std::abs(right[b] - confidence_sum[b]);
    return error / static_cast<double>(confidence.size());
  }
};

DawidSkeneOptions with_prior(ConfusionPrior prior) {
  DawidSkeneOptions options;
  options.prior = prior;
  return options;
}

// 10,000 items, 3 answers each from ten annotators of accuracy 0.60, 0.64, ... 0.95.
TEST(Calibration, LargeBatchHasSmallExpectedCalibrationError) {
  std::vector<double> accuracy;
  for (int a = 0; a < 10; ++a) accuracy.push_back(0.6 + 0.35 * a / 9.0);
  for (std::int32_t classes : {4, 10}) {
    const Crowd crowd = simulate(7 + static_cast<std::uint64_t>(classes), 10000, classes, accuracy);
    Calls hierarchical, flat;
    const auto model = dawid_skene(crowd.votes, with_prior(ConfusionPrior::hierarchical));
    hierarchical.add(model.consensus, crowd.truth);
    flat.add(dawid_skene(crowd.votes, with_prior(ConfusionPrior::flat)).consensus, crowd.truth);
    const double ece = hierarchical.expected_calibration_error();
    std::printf("%d classes, 10000 items: ECE hierarchical %.4f, flat %.4f\n", classes, ece,
                flat.expected_calibration_error());
    EXPECT_TRUE(model.converged);
    EXPECT_LE(ece, 0.05) << classes << " classes";
    // The annotators differ: their accuracies are not pooled into one.
    EXPECT_LT(model.pooling.accuracy, 100.0) << classes << " classes";
    EXPECT_NEAR(model.estimated_accuracy(0), 0.6, 0.05);
    EXPECT_NEAR(model.estimated_accuracy(9), 0.95, 0.05);
  }
}

// Rounds of 100 items answered by three annotators who are all 90% right. An item where all
// three answers differ is a toss-up between three classes: its confidence must stay below the
// default --min-confidence 0.7, so it goes to adjudication. Over all the rounds' items the
// confidence is calibrated too.
TEST(Calibration, ThreeWaySplitsOfSmallRoundsGoToAdjudication) {
  constexpr double kMinConfidence = 0.7;
  for (std::int32_t classes : {4, 10}) {
    int splits = 0, adjudicated = 0, flat_adjudicated = 0;
    Calls hierarchical, flat;
    for (std::uint64_t round = 0; round < 25; ++round) {
      const Crowd crowd = simulate(1000 + round, 100, classes, {0.9, 0.9, 0.9});
      const auto model = dawid_skene(crowd.votes, with_prior(ConfusionPrior::hierarchical));
      const auto published = dawid_skene(crowd.votes, with_prior(ConfusionPrior::flat));
      ASSERT_TRUE(model.converged) << "round " << round;
      hierarchical.add(model.consensus, crowd.truth);
      flat.add(published.consensus, crowd.truth);
      const auto& v = crowd.votes.votes;
      for (std::size_t i = 0; i < crowd.truth.size(); ++i) {
        const auto a = v[3 * i].label, b = v[3 * i + 1].label, c = v[3 * i + 2].label;
        if (a == b || b == c || a == c) continue;
        ++splits;
        adjudicated += model.consensus.confidence[i] < kMinConfidence;
        flat_adjudicated += published.consensus.confidence[i] < kMinConfidence;
        EXPECT_LT(model.consensus.confidence[i], kMinConfidence)
            << classes << " classes, round " << round << ", item " << i;
      }
    }
    std::printf(
        "%d classes, 25 rounds of 100 items: %d three-way splits, to adjudication: "
        "hierarchical %d, flat %d; ECE hierarchical %.4f, flat %.4f\n",
        classes, splits, adjudicated, flat_adjudicated, hierarchical.expected_calibration_error(),
        flat.expected_calibration_error());
    EXPECT_GT(splits, 20);  // the rounds do hold splits to judge
    EXPECT_LE(hierarchical.expected_calibration_error(), 0.05);
  }
}

// Rows exactly as the pooled model expects, or within sampling noise of it, show no spread
// (infinite strength); rows that differ more than noise allows get a finite one.
TEST(Calibration, OverdispersionTellsNoiseFromRealDifferences) {
  const double expected[] = {0.5, 0.5};
  Overdispersion same;
  const double even[] = {50, 50}, near_low[] = {46, 54}, near_high[] = {53, 47};
  same.add_row(even, expected, 2);
  same.add_row(near_low, expected, 2);
  same.add_row(near_high, expected, 2);
  EXPECT_EQ(same.concentration(), Overdispersion::kNone);
  Overdispersion apart;
  const double low[] = {10, 90}, high[] = {90, 10};
  apart.add_row(low, expected, 2);
  apart.add_row(high, expected, 2);
  // Row shares 0.1 and 0.9 around 0.5: a Beta(s/2, s/2) of variance 0.16 = 0.25 / (s + 1),
  // s about 0.56; the likelihood, which also sees each row's binomial noise, puts it near 1.3.
  const double s = apart.concentration();
  EXPECT_GT(s, 0.3);
  EXPECT_LT(s, 2.0);
}

}  // namespace
}  // namespace quarry::ingest

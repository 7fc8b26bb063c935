// Majority vote and Dawid-Skene: the tie rule, one EM iteration computed by hand, Dawid and
// Skene's own Table 1, and simulated annotators of unequal quality.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "ingest/consensus/dawid_skene.hpp"
#include "ingest/consensus/majority.hpp"

namespace quarry::ingest {
namespace {

Votes make_votes(std::int32_t classes, std::int32_t items, std::int32_t annotators,
                 std::vector<Vote> list) {
  Votes votes;
  votes.classes = classes;
  votes.items = items;
  votes.annotators = annotators;
  votes.votes = std::move(list);
  return votes;
}

TEST(Majority, LabelShareAndDeterministicTies) {
  // Item 0: 2 x class 1, 1 x class 0. Item 1: one vote each for 0 and 2: a tie that goes to
  // class 2, which has more votes over the batch (items 2 and 3).
  auto votes = make_votes(
      3, 4, 3, {{0, 0, 1}, {0, 1, 1}, {0, 2, 0}, {1, 0, 0}, {1, 1, 2}, {2, 0, 2}, {3, 1, 2}});
  auto result = majority_vote(votes);
  EXPECT_EQ(result.label, (std::vector<std::int32_t>{1, 2, 2, 2}));
  EXPECT_NEAR(result.confidence[0], 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(result.confidence[1], 0.5);
  EXPECT_EQ(result.votes, (std::vector<std::int32_t>{3, 2, 1, 1}));
  // Reversing the vote order changes nothing.
  std::reverse(votes.votes.begin(), votes.votes.end());
  EXPECT_EQ(majority_vote(votes).label, result.label);
  // A full tie over the batch falls back to the lower class.
  EXPECT_EQ(majority_vote(make_votes(2, 1, 2, {{0, 0, 1}, {0, 1, 0}})).label[0], 0);
}

TEST(Majority, GoldItemsKeepTheirLabel) {
  auto votes = make_votes(2, 1, 2, {{0, 0, 1}, {0, 1, 1}});
  votes.gold = {0};
  auto result = majority_vote(votes);
  EXPECT_EQ(result.label[0], 0);
  EXPECT_DOUBLE_EQ(result.confidence[0], 1.0);
}

// Two classes, annotators A, B, C, four items:
//   item 0: A0 B0 C0   item 1: A1 B1 C0   item 2: A0 B1 C1   item 3: A1 B1 C1
// Start: vote proportions T = [1,0], [1/3,2/3], [1/3,2/3], [0,1].
// M-step: priors (5/12, 7/12). Confusion rows (true class -> answered 0, 1):
//   A: 0 -> (4/5, 1/5), 1 -> (2/7, 5/7);  B: 0 -> (3/5, 2/5), 1 -> (0, 1);
//   C: 0 -> (4/5, 1/5), 1 -> (2/7, 5/7).
// E-step joint p(k, answers):
//   item 0: 5/12*4/5*3/5*4/5 = 4/25      and 0                    -> posterior(0) = 1
//   item 1: 5/12*1/5*2/5*4/5 = 2/75      and 7/12*5/7*1*2/7 = 5/42 -> 28/153
//   item 2: 5/12*4/5*2/5*1/5 = 2/75      and 7/12*2/7*1*5/7 = 5/42 -> 28/153
//   item 3: 5/12*1/5*2/5*1/5 = 1/150     and 7/12*5/7*1*5/7 = 25/84 -> 14/639
// log-likelihood = log(4/25) + 2 log(2/75 + 5/42) + log(1/150 + 25/84).
TEST(DawidSkene, OneIterationMatchesTheHandComputation) {
  auto votes = make_votes(2, 4, 3,
                          {{0, 0, 0},
                           {0, 1, 0},
                           {0, 2, 0},
                           {1, 0, 1},
                           {1, 1, 1},
                           {1, 2, 0},
                           {2, 0, 0},
                           {2, 1, 1},
                           {2, 2, 1},
                           {3, 0, 1},
                           {3, 1, 1},
                           {3, 2, 1}});
  DawidSkeneOptions options;
  options.prior = ConfusionPrior::flat;
  options.smoothing = 0;
  options.diagonal_prior = 0;
  options.max_iterations = 1;
  auto model = dawid_skene(votes, options);
  EXPECT_NEAR(model.priors[0], 5.0 / 12, 1e-12);
  EXPECT_NEAR(model.confusion[(1 * 2 + 0) * 2 + 1], 2.0 / 5, 1e-12);  // B: 0 -> 1
  EXPECT_NEAR(model.confusion[(0 * 2 + 1) * 2 + 0], 2.0 / 7, 1e-12);  // A: 1 -> 0
  EXPECT_NEAR(model.posterior[0 * 2 + 0], 1.0, 1e-12);
  EXPECT_NEAR(model.posterior[1 * 2 + 0], 28.0 / 153, 1e-12);
  EXPECT_NEAR(model.posterior[2 * 2 + 0], 28.0 / 153, 1e-12);
  EXPECT_NEAR(model.posterior[3 * 2 + 0], 14.0 / 639, 1e-12);
  const double expected_ll =
      std::log(4.0 / 25) + 2 * std::log(2.0 / 75 + 5.0 / 42) + std::log(1.0 / 150 + 25.0 / 84);
  EXPECT_NEAR(model.log_likelihood, expected_ll, 1e-12);
  EXPECT_EQ(model.consensus.label, (std::vector<std::int32_t>{0, 1, 1, 1}));
  EXPECT_NEAR(model.consensus.confidence[1], 125.0 / 153, 1e-12);
  EXPECT_EQ(model.consensus.votes, (std::vector<std::int32_t>{3, 3, 3, 3}));
}

TEST(DawidSkene, GoldItemsStayPinned) {
  auto votes = make_votes(2, 2, 2, {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}});
  votes.gold = {0, kNoGold};
  auto model = dawid_skene(votes);
  EXPECT_EQ(model.consensus.label[0], 0);
  EXPECT_DOUBLE_EQ(model.posterior[0], 1.0);
  EXPECT_TRUE(model.converged);
}

// An annotator seen on a single item (a consolidated Ground Truth job, a late adjudicator) is
// unidentifiable: under the flat prior without the diagonal prior EM drifts to "this annotator
// is always wrong" and relabels the item with the commonest class, at full confidence. The
// hierarchical prior gives such an annotator the crowd's accuracy.
TEST(DawidSkene, ASparseAnnotatorDoesNotFlipItsOnlyItem) {
  auto votes = make_votes(3, 2, 3, {{0, 0, 2}, {0, 1, 2}, {1, 2, 1}});
  EXPECT_EQ(dawid_skene(votes).consensus.label, (std::vector<std::int32_t>{2, 1}));
  DawidSkeneOptions weak;
  weak.prior = ConfusionPrior::flat;
  weak.diagonal_prior = 0;
  EXPECT_EQ(dawid_skene(votes, weak).consensus.label[1], 2);
}

// Dawid and Skene (1979), Table 1: 45 patients, 5 observers (observer 1 three times), 4
// classes. The reference holds the converged priors, log-likelihood and MAP labels.
TEST(DawidSkene, ReproducesDawidSkene1979) {
  std::ifstream in(std::string(QUARRY_SHARED_DATA) + "/dawid_skene_1979.json");
  ASSERT_TRUE(in) << "missing " << QUARRY_SHARED_DATA << "/dawid_skene_1979.json";
  const auto doc = nlohmann::json::parse(in);
  Votes votes;
  votes.classes = 4;
  votes.items = 45;
  votes.annotators = 5;
  for (const auto& [patient, observers] : doc.at("responses").items())
    for (const auto& [observer, ratings] : observers.items())
      for (int rating : ratings)
        votes.votes.push_back({std::stoi(patient) - 1, std::stoi(observer) - 1, rating - 1});
  ASSERT_EQ(votes.votes.size(), 45u * 7u);

  DawidSkeneOptions options;
  options.prior = ConfusionPrior::flat;  // the published method
  options.smoothing = 0;
  options.diagonal_prior = 0;
  options.tolerance = 1e-12;
  auto model = dawid_skene(votes, options);
  EXPECT_TRUE(model.converged);
  const auto& reference = doc.at("reference_result");
  for (std::size_t k = 0; k < 4; ++k)
    EXPECT_NEAR(model.priors[k], reference.at("class_priors")[k].get<double>(), 0.0006) << k;
  EXPECT_NEAR(model.log_likelihood, reference.at("log_likelihood").get<double>(), 0.006);
  for (std::size_t i = 0; i < 45; ++i)
    EXPECT_EQ(model.consensus.label[i] + 1, reference.at("labels")[i].get<int>())
        << "patient " << i + 1;
  // Majority vote differs on patients 2, 12 and 36 (per the reference note).
  auto majority = majority_vote(votes);
  std::vector<std::size_t> differ_at;
  for (std::size_t i = 0; i < 45; ++i)
    if (majority.label[i] != model.consensus.label[i]) differ_at.push_back(i + 1);
  EXPECT_EQ(differ_at, (std::vector<std::size_t>{2, 12, 36}));
}

// EM runs once per distinct response pattern, weighted: copying every item three times must
// give the same model, with three times the log-likelihood.
TEST(DawidSkene, RepeatedItemsOnlyScaleTheLikelihood) {
  auto votes = make_votes(3, 5, 3,
                          {{0, 0, 0},
                           {0, 1, 0},
                           {0, 2, 1},
                           {1, 0, 1},
                           {1, 1, 1},
                           {1, 2, 1},
                           {2, 0, 2},
                           {2, 1, 0},
                           {3, 0, 2},
                           {3, 2, 2},
                           {4, 1, 1},
                           {4, 2, 0}});
  auto tripled = votes;
  tripled.items = 3 * votes.items;
  for (std::int32_t copy = 1; copy < 3; ++copy)
    for (const auto& v : votes.votes)
      tripled.votes.push_back({v.item + copy * votes.items, v.annotator, v.label});
  DawidSkeneOptions options;
  options.prior = ConfusionPrior::flat;
  options.smoothing = 0;
  options.diagonal_prior = 0;
  options.max_iterations = 5;  // compare the same iterations, not two convergence points
  const auto once = dawid_skene(votes, options), thrice = dawid_skene(tripled, options);
  EXPECT_NEAR(thrice.log_likelihood, 3 * once.log_likelihood, 1e-9);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(thrice.priors[k], once.priors[k], 1e-12);
  for (std::int32_t copy = 0; copy < 3; ++copy)
    for (std::size_t i = 0; i < 5; ++i)
      EXPECT_EQ(thrice.consensus.label[static_cast<std::size_t>(copy) * 5 + i],
                once.consensus.label[i]);
}

// Three annotators per item at 90%, 75% and 55% accuracy (errors spread uniformly over the
// other classes): Dawid-Skene learns whom to trust and recovers more true labels.
TEST(DawidSkene, BeatsMajorityVoteWithAnnotatorsOfUnequalQuality) {
  const std::int32_t classes = 4, items = 3000;
  const double accuracy[] = {0.90, 0.75, 0.55};
  std::mt19937_64 random(20240611);
  std::uniform_int_distribution<std::int32_t> any_class(0, classes - 1), other(1, classes - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::int32_t> truth(items);
  Votes votes = make_votes(classes, items, 3, {});
  for (std::int32_t item = 0; item < items; ++item) {
    truth[static_cast<std::size_t>(item)] = any_class(random);
    for (std::int32_t a = 0; a < 3; ++a) {
      std::int32_t label = truth[static_cast<std::size_t>(item)];
      if (unit(random) >= accuracy[a]) label = (label + other(random)) % classes;
      votes.votes.push_back({item, a, label});
    }
  }
  auto correct = [&](const Consensus& c) {
    int n = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) n += c.label[i] == truth[i];
    return n;
  };
  auto model = dawid_skene(votes);
  const int ds = correct(model.consensus), mv = correct(majority_vote(votes));
  EXPECT_GT(ds, mv + items / 50) << "Dawid-Skene " << ds << ", majority " << mv;
  // It also estimates each annotator's accuracy.
  for (std::int32_t a = 0; a < 3; ++a)
    EXPECT_NEAR(model.estimated_accuracy(a), accuracy[a], 0.03) << "annotator " << a;
}

}  // namespace
}  // namespace quarry::ingest

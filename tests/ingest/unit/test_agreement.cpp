// Agreement coefficients against their published worked examples.
#include <gtest/gtest.h>

#include <cmath>

#include "ingest/consensus/agreement.hpp"

namespace quarry::ingest {
namespace {

// Fleiss (1971), Table 1: 30 patients, 6 psychiatric diagnoses each, 5 categories
// (depression, personality disorder, schizophrenia, neurosis, other); rows are counts.
const std::vector<std::int32_t> kFleissTable = {
    0, 0, 0, 6, 0, 0, 3, 0, 0, 3, 0, 1, 4, 0, 1, 0, 0, 0, 0, 6, 0, 3, 0, 3, 0, 2, 0, 4, 0, 0,
    0, 0, 4, 0, 2, 2, 0, 3, 1, 0, 2, 0, 0, 4, 0, 0, 0, 0, 0, 6, 1, 0, 0, 5, 0, 1, 1, 0, 4, 0,
    0, 3, 3, 0, 0, 1, 0, 0, 5, 0, 0, 2, 0, 3, 1, 0, 0, 5, 0, 1, 3, 0, 0, 1, 2, 5, 1, 0, 0, 0,
    0, 2, 0, 4, 0, 1, 0, 2, 0, 3, 0, 0, 0, 0, 6, 0, 1, 0, 5, 0, 0, 2, 0, 1, 3, 2, 0, 0, 4, 0,
    1, 0, 0, 4, 1, 0, 5, 0, 1, 0, 4, 0, 0, 0, 2, 0, 2, 0, 4, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 6,
};

TEST(Agreement, FleissKappaMatchesFleiss1971) {
  ASSERT_EQ(kFleissTable.size(), 30u * 5u);
  EXPECT_NEAR(fleiss_kappa(kFleissTable, 5), 0.430, 0.0005);
}

// Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), the nominal example:
// 4 observers, 12 units, values 1..5, missing answers allowed; published alpha = 0.743.
TEST(Agreement, KrippendorffAlphaMatchesThePublishedExample) {
  const int missing = 0;
  const std::vector<std::vector<int>> observers = {
      {1, 2, 3, 3, 2, 1, 4, 1, 2, missing, missing, missing},
      {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, missing, 3},
      {missing, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, missing},
      {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, missing},
  };
  std::vector<std::int32_t> counts(12 * 5, 0);
  for (const auto& answers : observers)
    for (std::size_t unit = 0; unit < answers.size(); ++unit)
      if (answers[unit] != missing)
        ++counts[unit * 5 + static_cast<std::size_t>(answers[unit] - 1)];
  EXPECT_NEAR(krippendorff_alpha_nominal(counts, 5), 0.743, 0.0005);
}

TEST(Agreement, PerfectAgreementIsOneAndUndefinedCasesAreNaN) {
  const std::vector<std::int32_t> perfect = {3, 0, 0, 3, 3, 0};
  EXPECT_DOUBLE_EQ(fleiss_kappa(perfect, 2), 1.0);
  EXPECT_DOUBLE_EQ(krippendorff_alpha_nominal(perfect, 2), 1.0);
  const std::vector<std::int32_t> single_answers = {1, 0, 0, 1};
  EXPECT_TRUE(std::isnan(fleiss_kappa(single_answers, 2)));
  EXPECT_TRUE(std::isnan(krippendorff_alpha_nominal(single_answers, 2)));
  const std::vector<std::int32_t> one_class = {2, 0, 3, 0};
  EXPECT_TRUE(std::isnan(fleiss_kappa(one_class, 2)));
}

TEST(Agreement, ReliabilityCountsGoldAndConsensusAgreement) {
  Votes votes;
  votes.classes = 2;
  votes.items = 2;
  votes.annotators = 2;
  votes.votes = {{0, 0, 1}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1}};
  votes.gold = {1, kNoGold};
  Consensus consensus{{1, 1}, {1.0, 1.0}, {2, 2}};
  auto r = annotator_reliability(votes, consensus);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].answers, 2);
  EXPECT_EQ(r[0].gold_answers, 1);
  EXPECT_DOUBLE_EQ(*r[0].gold_accuracy(), 1.0);
  EXPECT_DOUBLE_EQ(*r[1].gold_accuracy(), 0.0);
  EXPECT_DOUBLE_EQ(r[1].consensus_accuracy(), 0.5);
}

// Agreement is between annotators: an annotator's repeated answers on an item count once, as
// the class they gave most often (a tie: the lower class), so agreeing with oneself is not
// agreement. Item 0: a says 1, 1, 0 and b says 0; item 1: a says 2 and 0 (a tie), b says 2.
TEST(Agreement, RepeatedAnswersOfOneAnnotatorCountOnce) {
  Votes votes;
  votes.classes = 3;
  votes.items = 2;
  votes.annotators = 2;
  votes.votes = {{0, 0, 1}, {0, 1, 0}, {0, 0, 1}, {0, 0, 0}, {1, 0, 2}, {1, 0, 0}, {1, 1, 2}};
  EXPECT_EQ(agreement_counts(votes), (std::vector<std::int32_t>{1, 1, 0, 1, 0, 1}));
  // Every answer counted, item 0 would hold an agreeing pair (a's two 1s).
  EXPECT_EQ(votes.count_table(), (std::vector<std::int32_t>{2, 2, 0, 1, 0, 2}));
  // Without repeats the table is the plain count table.
  votes.votes = {{0, 0, 1}, {0, 1, 1}, {1, 0, 2}, {1, 1, 0}};
  EXPECT_EQ(agreement_counts(votes), votes.count_table());
}

}  // namespace
}  // namespace quarry::ingest

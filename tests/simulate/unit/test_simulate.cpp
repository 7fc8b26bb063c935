// Simulated annotators (their accuracy and confusion hold on many items, answers are seeded),
// learning-curve arithmetic (labels to reach a target, savings and their spread), and options.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "core/error.hpp"
#include "simulate/annotators.hpp"
#include "simulate/curve.hpp"
#include "simulate/one_run.hpp"
#include "simulate/options.hpp"
#include "support/temp_dir.hpp"

namespace quarry::simulate {
namespace {

struct Items {
  std::vector<std::uint64_t> ids;
  std::unordered_map<std::uint64_t, std::int32_t> truth;
};

Items items(std::size_t n, std::size_t classes) {
  Items out;
  for (std::uint64_t id = 0; id < n; ++id) {
    out.ids.push_back(id + 1000);
    out.truth[id + 1000] = std::int32_t(id % classes);
  }
  return out;
}

TEST(SimulateAnnotators, AccuracyMatchesTheModel) {
  const auto data = items(20000, 10);
  const std::vector<AnnotatorModel> annotators = {{"a", 0.9, 0.0}, {"b", 0.6, 0.0}};
  const auto answers = simulate_answers(data.ids, data.truth, annotators, 2, 10, 7);
  ASSERT_EQ(answers.size(), 40000u);
  double right[2] = {0, 0}, total[2] = {0, 0};
  for (const auto& a : answers) {
    total[a.annotator] += 1;
    right[a.annotator] += a.label == data.truth.at(a.id) ? 1 : 0;
    ASSERT_GE(a.label, 0);
    ASSERT_LT(a.label, 10);
  }
  EXPECT_NEAR(right[0] / total[0], 0.9, 0.01);
  EXPECT_NEAR(right[1] / total[1], 0.6, 0.015);
}

TEST(SimulateAnnotators, ConfusionSendsErrorsToOneClassPerTrueClass) {
  const auto data = items(5000, 5);
  const auto answers = simulate_answers(data.ids, data.truth, {{"c", 0.5, 1.0}}, 1, 5, 3);
  std::map<std::int32_t, std::set<std::int32_t>> wrong;
  for (const auto& a : answers)
    if (a.label != data.truth.at(a.id)) wrong[data.truth.at(a.id)].insert(a.label);
  ASSERT_EQ(wrong.size(), 5u);
  for (const auto& [truth, labels] : wrong) {
    EXPECT_EQ(labels.size(), 1u) << "class " << truth;
    EXPECT_EQ(labels.count(truth), 0u);
  }
}

TEST(SimulateAnnotators, SeededAndDistinctAnnotatorsPerItem) {
  const auto data = items(300, 4);
  const std::vector<AnnotatorModel> annotators = {
      {"a", 0.7, 0.5}, {"b", 0.7, 0.5}, {"c", 0.7, 0.5}};
  const auto one = simulate_answers(data.ids, data.truth, annotators, 3, 4, 11);
  const auto again = simulate_answers(data.ids, data.truth, annotators, 3, 4, 11);
  const auto other = simulate_answers(data.ids, data.truth, annotators, 3, 4, 12);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].label, again[i].label);
    differ += one[i].label != other[i].label ? 1 : 0;
  }
  EXPECT_GT(differ, 10u);
  for (std::size_t i = 0; i < one.size(); i += 3) {
    const std::set<std::size_t> who = {one[i].annotator, one[i + 1].annotator,
                                       one[i + 2].annotator};
    EXPECT_EQ(who.size(), 3u);
  }
}

TEST(SimulateAnnotators, ItemWithoutTruthIsBadInput) {
  auto data = items(3, 2);
  data.truth[1001] = -1;
  EXPECT_THROW(simulate_answers(data.ids, data.truth, {{"a", 1, 0}}, 1, 2, 1), InputError);
}

TEST(SimulateAnnotators, CsvIsWhatIngestReads) {
  testing::TempDir dir;
  write_answers_csv(dir / "a.csv", {{5, 0, 2}, {5, 1, 3}}, {{"sim1", 1, 0}, {"sim2", 1, 0}});
  std::ifstream in(dir / "a.csv");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "id,annotator,label\n5,sim1,2\n5,sim2,3\n");
}

TEST(SimulateRun, InitialBatchIsSeededSubset) {
  std::vector<std::uint64_t> ids;
  for (std::uint64_t i = 0; i < 1000; ++i) ids.push_back(i * 3);
  const auto a = initial_batch(ids, 50, 1), b = initial_batch(ids, 50, 1),
             c = initial_batch(ids, 50, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  ASSERT_EQ(a.size(), 50u);
  EXPECT_EQ(std::set<std::uint64_t>(a.begin(), a.end()).size(), 50u);
  for (auto id : a) EXPECT_EQ(id % 3, 0u);
  EXPECT_EQ(initial_batch(ids, 5000, 1).size(), 1000u);
}

std::vector<CurvePoint> curve(const std::string& strategy, std::uint64_t seed,
                              std::vector<std::pair<std::uint64_t, double>> points) {
  std::vector<CurvePoint> out;
  int round = 0;
  for (auto [labels, acc] : points) {
    out.push_back({strategy, seed, round, labels, acc, labels * 3});
    ++round;
  }
  return out;
}

TEST(SimulateCurve, LabelsToReachInterpolates) {
  const auto c = curve("x", 1, {{100, 0.5}, {200, 0.7}, {300, 0.8}});
  EXPECT_DOUBLE_EQ(*labels_to_reach(c, 0.6), 150.0);
  EXPECT_DOUBLE_EQ(*labels_to_reach(c, 0.4), 100.0);
  EXPECT_DOUBLE_EQ(*labels_to_reach(c, 0.8), 300.0);
  EXPECT_FALSE(labels_to_reach(c, 0.81).has_value());
}

TEST(SimulateCurve, FlattensAtTheFirstPointNearTheFinalAccuracy) {
  const auto c = curve("x", 1, {{100, 0.5}, {200, 0.796}, {300, 0.79}, {400, 0.8}});
  EXPECT_EQ(flattening_point(c), 1u);  // 0.796 is within 0.005 of 0.8; a later dip is allowed
  EXPECT_EQ(flattening_point(c, 0.001), 3u);
  EXPECT_EQ(flattening_point({}), 0u);
}

TEST(SimulateCurve, SummaryComparesEachSeedWithRandom) {
  std::vector<CurvePoint> points;
  for (auto part : {curve("random", 1, {{100, 0.5}, {200, 0.6}, {300, 0.7}}),
                    curve("random", 2, {{100, 0.5}, {200, 0.6}, {300, 0.8}}),
                    curve("smart", 1, {{100, 0.5}, {200, 0.7}, {300, 0.9}}),   // 0.7 at 200
                    curve("smart", 2, {{100, 0.5}, {200, 0.6}, {300, 0.85}}),  // 0.8 at 280
                    curve("weak", 1, {{100, 0.5}, {200, 0.55}, {300, 0.6}})})
    points.insert(points.end(), part.begin(), part.end());
  const auto rows = summarise(points);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].strategy, "random");
  EXPECT_DOUBLE_EQ(rows[0].saving_mean, 1.0);
  EXPECT_EQ(rows[1].strategy, "smart");
  EXPECT_EQ(rows[1].reached, 2u);
  EXPECT_NEAR(rows[1].labels_mean, 240.0, 1e-9);
  EXPECT_NEAR(rows[1].labels_std, std::sqrt(2.0 * 40.0 * 40.0), 1e-9);
  EXPECT_NEAR(rows[1].saving_mean, (1.5 + 300.0 / 280.0) / 2, 1e-9);
  EXPECT_NEAR(rows[1].final_accuracy_mean, 0.875, 1e-12);
  EXPECT_DOUBLE_EQ(rows[1].votes_per_label, 3.0);
  EXPECT_EQ(rows[2].seeds, 1u);
  EXPECT_EQ(rows[2].reached, 0u);
  EXPECT_TRUE(std::isnan(rows[2].saving_mean));
  EXPECT_NE(summary_table(rows, 300, 0.75).find("not reached"), std::string::npos);
  EXPECT_THROW(summarise(curve("smart", 1, {{100, 0.5}})), Error);
}

TEST(SimulateCurve, CsvRoundTrips) {
  testing::TempDir dir;
  const auto points = curve("margin-kcenter", 4, {{500, 0.71}, {1000, 0.765432}});
  std::ofstream(dir / "c.csv") << curve_csv(points);
  const auto back = parse_curve_csv(dir / "c.csv");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].strategy, "margin-kcenter");
  EXPECT_EQ(back[1].seed, 4u);
  EXPECT_EQ(back[1].round, 1);
  EXPECT_EQ(back[1].labels, 1000u);
  EXPECT_DOUBLE_EQ(back[1].accuracy, 0.765432);
  EXPECT_EQ(back[1].votes, 3000u);
  std::ofstream(dir / "bad.csv") << "strategy,seed\nrandom,x,1,2,3,4\n";
  EXPECT_THROW(parse_curve_csv(dir / "bad.csv"), InputError);
}

TEST(SimulateOptions, ParsesAndChecks) {
  const auto a = parse_annotators("0.9,0.8:0.25");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].name, "sim2");
  EXPECT_DOUBLE_EQ(a[1].accuracy, 0.8);
  EXPECT_DOUBLE_EQ(a[1].confusion, 0.25);
  EXPECT_THROW(parse_annotators("1.5"), UsageError);
  EXPECT_THROW(parse_annotators("0.9:x"), UsageError);
  EXPECT_EQ(parse_seeds("1,2,30"), (std::vector<std::uint64_t>{1, 2, 30}));
  EXPECT_THROW(parse_seeds("1,-2"), UsageError);
  EXPECT_EQ(parse_list("random,,badge"), (std::vector<std::string>{"random", "badge"}));
  SimulateOptions o;
  o.annotators = a;
  o.votes_per_item = 3;
  EXPECT_THROW(check_options(o), UsageError);
  o.votes_per_item = 2;
  EXPECT_NO_THROW(check_options(o));
  o.candidates = o.batch - 1;  // quarry select would refuse it after the first round's training
  EXPECT_THROW(check_options(o), UsageError);
}

}  // namespace
}  // namespace quarry::simulate

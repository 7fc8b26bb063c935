// Curves of pools with objects: annotator seconds to reach the baseline's final AP, the ratios per
// seed and over seeds against either baseline, and the CSV with the object columns.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>
#include <tuple>

#include "core/error.hpp"
#include "simulate/curve.hpp"
#include "support/temp_dir.hpp"

namespace quarry::simulate {
namespace {

// (images, AP@.5, seconds) per round.
std::vector<CurvePoint> curve(const std::string& arm, std::uint64_t seed,
                              std::vector<std::tuple<std::uint64_t, double, double>> rounds) {
  std::vector<CurvePoint> out;
  int round = 0;
  for (auto [labels, ap50, seconds] : rounds) {
    CurvePoint p;
    p.strategy = arm;
    p.seed = seed;
    p.round = round++;
    p.labels = labels;
    p.accuracy = p.ap50 = ap50;
    p.votes = labels;
    p.objects = 2 * labels;
    p.seconds = seconds;
    p.scratch_seconds = 2 * seconds;
    out.push_back(p);
  }
  return out;
}

std::vector<CurvePoint> three_arms() {
  std::vector<CurvePoint> points;
  for (auto part : {curve("random", 1, {{100, 0.3, 6000}, {200, 0.5, 12000}}),
                    curve("random+prelabels", 1, {{100, 0.3, 6000}, {200, 0.5, 8000}}),
                    curve("det+prelabels", 1, {{100, 0.3, 6000}, {150, 0.6, 7000}})})
    points.insert(points.end(), part.begin(), part.end());
  return points;
}

TEST(SimulateObjectCurve, SecondsToReachInterpolates) {
  const auto c = curve("x", 1, {{100, 0.3, 6000}, {150, 0.6, 7000}});
  EXPECT_DOUBLE_EQ(*seconds_to_reach(c, 0.5), 6000 + 1000 * (0.2 / 0.3));
  EXPECT_FALSE(seconds_to_reach(c, 0.7).has_value());
}

TEST(SimulateObjectCurve, SavingsAgainstEitherBaseline) {
  const auto points = three_arms();
  const auto rows = summarise(points, "random");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].strategy, "det+prelabels");
  const double images = 100 + 50 * (0.2 / 0.3), seconds = 6000 + 1000 * (0.2 / 0.3);
  EXPECT_NEAR(rows[2].labels_mean, images, 1e-9);
  EXPECT_NEAR(rows[2].saving_mean, 200 / images, 1e-9);
  EXPECT_NEAR(rows[2].seconds_mean, seconds, 1e-9);
  EXPECT_NEAR(rows[2].seconds_saving_mean, 12000 / seconds, 1e-9);
  EXPECT_NEAR(rows[1].seconds_saving_mean, 12000.0 / 8000.0, 1e-9);  // same images, less time
  const auto against_prelabels = summarise(points, "random+prelabels");
  EXPECT_EQ(against_prelabels[0].strategy, "random+prelabels");
  EXPECT_NEAR(against_prelabels[2].seconds_saving_mean, 8000 / seconds, 1e-9);
  const auto seeds = per_seed(points, "random");
  ASSERT_EQ(seeds.size(), 3u);
  EXPECT_DOUBLE_EQ(seeds[2].target, 0.5);
  const auto csv = per_seed_csv(seeds, "random");
  EXPECT_NE(
      csv.find(fmt::format("det+prelabels,1,random,0.500000,{:.1f},{:.3f}", images, 200 / images)),
      std::string::npos)
      << csv;
  EXPECT_NE(summary_csv(rows, true).find("seconds_saving_mean"), std::string::npos);
  EXPECT_EQ(summary_csv(rows, false).find("seconds"), std::string::npos);
}

TEST(SimulateObjectCurve, CsvWithObjectColumnsRoundTrips) {
  testing::TempDir dir;
  auto points = three_arms();
  points[1].oks_ap = 0.25;
  std::ofstream(dir / "c.csv") << curve_csv(points, true);
  const auto back = parse_curve_csv(dir / "c.csv");
  ASSERT_EQ(back.size(), points.size());
  EXPECT_EQ(back[3].strategy, "random+prelabels");
  EXPECT_EQ(back[3].objects, 400u);
  EXPECT_DOUBLE_EQ(back[3].seconds, 8000);
  EXPECT_DOUBLE_EQ(back[3].scratch_seconds, 16000);
  EXPECT_DOUBLE_EQ(back[1].oks_ap, 0.25);
  EXPECT_DOUBLE_EQ(back[1].ap50, 0.5);
  std::ofstream(dir / "short.csv") << curve_csv(points, true).substr(0, 120) << "\n";
  EXPECT_THROW(parse_curve_csv(dir / "short.csv"), InputError);
}

}  // namespace
}  // namespace quarry::simulate

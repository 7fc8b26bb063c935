// Negative controls for the cocoapi reference tests: each convention the reference exercises,
// done the other way, changes a stored number by far more than the 1e-12 tolerance, so the
// reference tests would catch an evaluator that got it wrong.
#include <gtest/gtest.h>

#include <cmath>

#include "detect/numpy_sum.hpp"
#include "reference.hpp"

namespace quarry::detect {
namespace {

using testing::block;
using testing::numbers;
using testing::reference;

const nlohmann::json& extra_case(const std::string& name) {
  for (const auto& c : reference().at("tiny").at("extra_cases"))
    if (c.at("name") == name) return c;
  throw std::runtime_error("no extra case " + name);
}

TEST(CocoEvalControls, RecallThresholdsAsIOver100MissByTheMdsMargin) {
  const auto& c = extra_case("recall_threshold_float");
  testing::Block in = block(c);
  const double stored = c.at("stats").at(0).get<double>();
  EXPECT_NEAR(evaluate(in.truth, in.detections, in.params).stats[0], stored, 1e-12);
  for (std::size_t i = 0; i < in.params.recall_thresholds.size(); ++i)
    in.params.recall_thresholds[i] = double(i) / 100.0;
  const double wrong = evaluate(in.truth, in.detections, in.params).stats[0];
  EXPECT_NEAR(wrong, 96.0 / 101.0, 1e-12);  // the description's AP for i/100
  EXPECT_NEAR(wrong - stored, 0.00165, 1e-5);
}

TEST(CocoEvalControls, CrowdTruthTreatedAsOrdinaryChangesTheCrowdCase) {
  const auto& c = extra_case("crowd");
  testing::Block in = block(c);
  ASSERT_TRUE(in.truth.objects.at(1).crowd);
  in.truth.objects.at(1).crowd = false;
  const auto stats = evaluate(in.truth, in.detections, in.params).stats;
  const auto stored = numbers(c.at("stats"));
  double largest = 0;
  for (std::size_t i = 0; i < stats.size(); ++i)
    largest = std::max(largest, std::abs(stats[i] - stored[i]));
  EXPECT_GT(largest, 0.1);
}

TEST(CocoEvalControls, AStrictThresholdLosesTheMatchAtExactlyOneHalf) {
  const auto& c = extra_case("iou_exactly_half");
  testing::Block in = block(c);
  EXPECT_NEAR(evaluate(in.truth, in.detections, in.params).stats[0], 0.1, 1e-12);
  in.params.iou_thresholds[0] = std::nextafter(0.5, 1.0);  // as if the test were IoU > 0.5
  EXPECT_EQ(evaluate(in.truth, in.detections, in.params).stats[0], 0.0);
  in.params.iou_thresholds[0] = 0.5;
  in.truth.objects[0].box.w += 1e-9;  // IoU just below 0.5
  EXPECT_EQ(evaluate(in.truth, in.detections, in.params).stats[1], 0.0);
}

TEST(CocoEvalControls, BoxAreaInsteadOfCocoAreaChangesTheAreaStats) {
  const auto& b = reference().at("bbox");
  testing::Block in = block(b);
  const auto ids = b.at("notes").at("area_not_box_area_gt_ids").get<std::vector<std::int64_t>>();
  for (TruthObject& object : in.truth.objects)
    if (std::find(ids.begin(), ids.end(), object.id) != ids.end()) object.area = object.box.area();
  const auto stats = evaluate(in.truth, in.detections, in.params).stats;
  const auto stored = numbers(b.at("stats"));
  double largest = 0;
  for (std::size_t i = 3; i < 6; ++i) largest = std::max(largest, std::abs(stats[i] - stored[i]));
  EXPECT_GT(largest, 1e-6);
}

TEST(CocoEvalControls, ExclusiveAreaBoundsChangeTheBoundaryCase) {
  const auto& b = reference().at("bbox");
  testing::Block in = block(b);
  for (AreaRange& range : in.params.area_ranges)
    if (range.label == "medium") range.min = std::nextafter(range.min, 1e300);
  const auto stats = evaluate(in.truth, in.detections, in.params).stats;
  EXPECT_GT(std::abs(stats[4] - b.at("stats").at(4).get<double>()), 1e-6);  // APm
}

TEST(CocoEvalControls, DetectionsBeyondMaxDetsAreCut) {
  const auto& c = extra_case("maxdets_rank_11");
  testing::Block in = block(c);
  in.params.max_detections = {1, 10, 10};  // the true positive ranks 11th
  const auto stats = evaluate(in.truth, in.detections, in.params).stats;
  EXPECT_EQ(stats[0], -1.0);  // AP reads maxDets 100, which these parameters lack
  EXPECT_EQ(stats[1], 0.0);   // AP50 at maxDets[2] = 10: the true positive is cut
  EXPECT_EQ(stats[8], 0.0);   // the same for AR
}

TEST(NumpySum, AddsPairwiseAsNumpy) {
  // np.sum([1e16] + [1.0] * 8) == 1.0000000000000008e16; adding in sequence gives 1e16.
  std::vector<double> values = {1e16, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(numpy_sum(values), 1.0000000000000008e16);
  // Recursive halving above 128 values: numpy gives 1152.5999999999913 (a sequential sum
  // 1152.5999999999929) and the mean 1.1525999999999912.
  values.clear();
  for (int i = 0; i < 1000; ++i) values.push_back(std::fmod(i * 0.37, 1.3) + 1e-3 * i);
  EXPECT_EQ(numpy_sum(values), 1152.5999999999913);
  EXPECT_EQ(numpy_mean(values), 1.1525999999999912);
}

}  // namespace
}  // namespace quarry::detect

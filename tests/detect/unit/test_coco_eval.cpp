// quarry's COCO evaluation against cocoapi's own numbers (tests/data/coco_eval_reference.json):
// every stored statistic, per-IoU value, per-category result and similarity matrix.
#include <gtest/gtest.h>

#include "detect/coco_match.hpp"
#include "detect/oks.hpp"
#include "reference.hpp"

namespace quarry::detect {
namespace {

using testing::block;
using testing::expect_equal;
using testing::numbers;
using testing::reference;

void expect_params(const Params& params, const nlohmann::json& expected) {
  // Exactly: 0.8999999999999999 and 0.7000000000000001 decide matches at the thresholds.
  EXPECT_EQ(params.iou_thresholds, numbers(expected.at("iouThrs")));
  EXPECT_EQ(params.recall_thresholds, numbers(expected.at("recThrs")));
  EXPECT_EQ(params.max_detections, expected.at("maxDets").get<std::vector<int>>());
  const auto ranges = expected.at("areaRng").get<std::vector<std::vector<double>>>();
  const auto labels = expected.at("areaRngLbl").get<std::vector<std::string>>();
  ASSERT_EQ(params.area_ranges.size(), ranges.size());
  for (std::size_t a = 0; a < ranges.size(); ++a) {
    EXPECT_EQ(params.area_ranges[a].label, labels[a]);
    EXPECT_EQ(params.area_ranges[a].min, ranges[a][0]);
    EXPECT_EQ(params.area_ranges[a].max, ranges[a][1]);
  }
}

// stats, ap_per_iou and recall_per_iou of a block (and expected_by_hand where it has them).
Result expect_block(const nlohmann::json& b, const std::string& name) {
  const testing::Block in = block(b);
  const Result result = evaluate(in.truth, in.detections, in.params);
  expect_equal(result.stats, numbers(b.at("stats")), name + " stats");
  expect_equal(result.ap_per_iou, numbers(b.at("ap_per_iou")), name + " ap_per_iou");
  expect_equal(result.recall_per_iou, numbers(b.at("recall_per_iou")), name + " recall_per_iou");
  if (b.contains("expected_by_hand")) {
    const auto& hand = b.at("expected_by_hand");
    expect_equal(result.stats, numbers(hand.at("stats")), name + " stats by hand");
    expect_equal(result.ap_per_iou, numbers(hand.at("ap_per_iou")), name + " AP by hand");
  }
  return result;
}

// Every per_category entry: the category's stats in the full result, and COCOeval re-run with
// catIds = [id] (the Params subset) gives the same.
void expect_per_category(const nlohmann::json& b, const Result& result, const std::string& name) {
  const testing::Block in = block(b);
  for (const auto& expected : b.at("per_category")) {
    const auto id = expected.at("category_id").get<std::int64_t>();
    const std::string what = name + " category " + std::to_string(id);
    const auto found = std::find_if(result.per_category.begin(), result.per_category.end(),
                                    [&](const CategoryResult& c) { return c.id == id; });
    ASSERT_NE(found, result.per_category.end()) << what;
    EXPECT_EQ(found->name, expected.at("name").get<std::string>()) << what;
    expect_equal(found->stats, numbers(expected.at("stats")), what);
    EXPECT_NEAR(found->stats[0], expected.at("AP").get<double>(), 1e-12) << what;
    EXPECT_NEAR(found->stats[1], expected.at("AP50").get<double>(), 1e-12) << what;
    Params alone = in.params;
    alone.category_ids = {id};
    expect_equal(evaluate(in.truth, in.detections, alone).stats, numbers(expected.at("stats")),
                 what + " evaluated alone");
  }
}

// E.ious / computeOks matrices: detections of the image and category sorted by score (rows,
// given as indices into the block's detections), truths in file order (columns).
void expect_similarities(const nlohmann::json& b, const char* key, const std::string& name) {
  const testing::Block in = block(b);
  for (const auto& example : b.at(key)) {
    const auto image = example.at("image_id").get<std::int64_t>();
    const auto category = example.at("category_id").get<std::int64_t>();
    const std::string what = name + " image " + std::to_string(image);
    std::vector<const Detection*> detections;
    for (const Detection& d : in.detections)
      if (d.image_id == image && d.category_id == category) detections.push_back(&d);
    detections = by_score(detections, std::size_t(in.params.max_detections.back()));
    std::vector<std::size_t> rows;
    for (const Detection* d : detections) rows.push_back(std::size_t(d - in.detections.data()));
    EXPECT_EQ(rows, example.at("det_indices").get<std::vector<std::size_t>>()) << what;
    std::vector<const TruthObject*> truths;
    std::vector<std::int64_t> columns;
    for (const TruthObject& t : in.truth.objects)
      if (t.image_id == image && t.category_id == category)
        truths.push_back(&t), columns.push_back(t.id);
    EXPECT_EQ(columns, example.at("gt_ids").get<std::vector<std::int64_t>>()) << what;
    std::vector<double> expected;
    for (const auto& row : example.at("matrix"))
      for (double v : numbers(row)) expected.push_back(v);
    expect_equal(similarities(detections, truths, in.params), expected, what + " matrix");
  }
}

TEST(CocoEval, DefaultParamsAreCocoevalsBitForBit) {
  expect_params(default_params(IouType::bbox), reference().at("bbox").at("params"));
  expect_params(default_params(IouType::keypoints), reference().at("keypoints").at("params"));
  expect_params(default_params(IouType::bbox), reference().at("tiny").at("params"));
}

TEST(CocoEval, BoxStatsEqualCocoapi) {
  const auto& b = reference().at("bbox");
  const Result result = expect_block(b, "bbox");
  EXPECT_EQ(result.stats.size(), 12u);
  EXPECT_EQ(result.images, 40u);
  EXPECT_EQ(result.truths, 147u);
  EXPECT_EQ(result.detections, 324u);
}

TEST(CocoEval, BoxPerCategoryStatsEqualCocoapi) {
  const auto& b = reference().at("bbox");
  const testing::Block in = block(b);
  expect_per_category(b, evaluate(in.truth, in.detections, in.params), "bbox");
}

TEST(CocoEval, BoxIouMatricesEqualCocoapi) {
  expect_similarities(reference().at("bbox"), "iou_examples", "bbox");
}

TEST(CocoEval, KeypointStatsEqualCocoapi) {
  const Result result = expect_block(reference().at("keypoints"), "keypoints");
  EXPECT_EQ(result.stats.size(), 10u);
}

TEST(CocoEval, OksMatricesEqualCocoapi) {
  expect_similarities(reference().at("keypoints"), "oks_examples", "keypoints");
}

TEST(CocoEval, OksWorkedExample) {
  const auto& b = reference().at("keypoints");
  const auto& worked = b.at("oks_worked_example");
  const testing::Block in = block(b);
  const Detection& detection = in.detections.at(worked.at("det_index").get<std::size_t>());
  const auto truth = std::find_if(in.truth.objects.begin(), in.truth.objects.end(),
                                  [&](const TruthObject& t) { return t.id == worked.at("gt_id"); });
  ASSERT_NE(truth, in.truth.objects.end());
  EXPECT_EQ(truth->area, worked.at("gt_area").get<double>());
  // Four labelled keypoints (one with v = 1, which counts) and one unlabelled, left out.
  const double value = oks(detection, *truth, in.params.sigmas);
  EXPECT_NEAR(value, worked.at("oks").get<double>(), 1e-12);
  EXPECT_NEAR(value, worked.at("oks_from_cocoeval").get<double>(), 1e-12);
  double by_terms = 0;
  int counted = 0;
  for (const auto& term : worked.at("terms"))
    if (!term.at("exp_minus_e").is_null())
      by_terms += term.at("exp_minus_e").get<double>(), ++counted;
  EXPECT_EQ(counted, 4);
  EXPECT_NEAR(value, by_terms / counted, 1e-12);
}

TEST(CocoEval, KeypointResultsTakeTheKeypointExtentAsArea) {
  const auto& b = reference().at("keypoints");
  const testing::Block in = block(b);
  const auto& first = b.at("detections").at(0).at("keypoints");
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (std::size_t i = 0; i < first.size(); i += 3) {
    x0 = std::min(x0, first[i].get<double>()), x1 = std::max(x1, first[i].get<double>());
    y0 = std::min(y0, first[i + 1].get<double>()), y1 = std::max(y1, first[i + 1].get<double>());
  }
  EXPECT_EQ(in.detections[0].area, (x1 - x0) * (y1 - y0));
}

TEST(CocoEval, TinyCaseEqualsCocoapiAndTheHandComputation) {
  const auto& b = reference().at("tiny");
  expect_block(b, "tiny");
  expect_similarities(b, "iou_examples", "tiny");
}

TEST(CocoEval, EveryExtraTinyCaseEqualsCocoapi) {
  const auto& cases = reference().at("tiny").at("extra_cases");
  std::vector<std::string> seen;
  for (const auto& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    seen.push_back(name);
    const Result result = expect_block(c, name);
    if (c.contains("per_category")) expect_per_category(c, result, name);
    if (c.contains("iou_examples")) expect_similarities(c, "iou_examples", name);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"iou_exactly_half", "crowd", "empty_categories",
                                            "maxdets_rank_11", "recall_threshold_float"}));
}

}  // namespace
}  // namespace quarry::detect

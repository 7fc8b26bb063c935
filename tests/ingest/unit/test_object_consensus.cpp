// Object consensus against simulated crowds (issue 17): annotators who jitter box corners in
// proportion to the box's size, miss objects, draw false boxes, pick wrong classes and jitter
// keypoints, one of them careless. The fused objects must be closer to the truth than the best
// single annotator's: higher mean IoU, precision and recall at least the best annotator's, and
// higher keypoint OKS. The figures are printed for the note.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "ingest/objects/assignment.hpp"
#include "ingest/objects/comparison.hpp"
#include "ingest/objects/fusion.hpp"
#include "ingest/objects/object_agreement.hpp"
#include "ingest/objects/object_consensus.hpp"
#include "ingest/objects/prelabel_accounting.hpp"

namespace quarry::ingest::objects {
namespace {

constexpr double kWidth = 640, kHeight = 480;
constexpr std::int32_t kClasses = 3;
constexpr std::size_t kKeypoints = 3;
const std::vector<double> kSigmas(kKeypoints, 0.05);

struct Profile {
  double corner_sd;    // per corner, as a share of the box's width or height
  double miss;         // chance of leaving a true object out
  double false_box;    // chance of one extra box where there is nothing
  double wrong_class;  // chance of a wrong class
  double keypoint_sd;  // per keypoint coordinate, as a share of the box's size
};

const std::vector<Profile> kCrowd = {{0.03, 0.08, 0.10, 0.05, 0.03},
                                     {0.04, 0.10, 0.10, 0.08, 0.04},
                                     {0.05, 0.10, 0.15, 0.10, 0.05},
                                     {0.06, 0.12, 0.15, 0.10, 0.06},
                                     {0.15, 0.30, 0.50, 0.40, 0.15}};  // the careless one

DrawnObject true_object(std::mt19937& rng) {
  std::uniform_real_distribution<double> size(40, 160), unit(0, 1);
  std::uniform_int_distribution<std::int32_t> cls(0, kClasses - 1);
  DrawnObject o;
  const double w = size(rng), h = size(rng);
  const double x = unit(rng) * (kWidth - w), y = unit(rng) * (kHeight - h);
  o.box = {x, y, x + w, y + h};
  o.label = cls(rng);
  for (auto [fx, fy] : {std::pair{0.3, 0.3}, std::pair{0.7, 0.3}, std::pair{0.5, 0.7}})
    o.keypoints.insert(o.keypoints.end(), {x + fx * w, y + fy * h, unit(rng) < 0.1 ? 1.0 : 2.0});
  return o;
}

DrawnObject annotate(const DrawnObject& truth, const Profile& p, std::mt19937& rng) {
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  DrawnObject o = truth;
  const double w = truth.box[2] - truth.box[0], h = truth.box[3] - truth.box[1];
  for (int c = 0; c < 4; ++c) o.box[c] += noise(rng) * p.corner_sd * (c % 2 == 0 ? w : h);
  if (o.box[2] <= o.box[0] + 1) o.box[2] = o.box[0] + 1;
  if (o.box[3] <= o.box[1] + 1) o.box[3] = o.box[1] + 1;
  if (unit(rng) < p.wrong_class) o.label = (truth.label + 1 + (unit(rng) < 0.5)) % kClasses;
  for (std::size_t k = 0; k < kKeypoints; ++k) {
    o.keypoints[3 * k] += noise(rng) * p.keypoint_sd * w;
    o.keypoints[3 * k + 1] += noise(rng) * p.keypoint_sd * h;
  }
  return o;
}

struct Crowd {
  std::vector<std::vector<DrawnObject>> truth;  // per item
  std::vector<ItemAnswers> items;
};

// `items` items with 0-4 objects each, each answered by 3 of the 5 annotators.
Crowd simulate(std::size_t items, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> count(0, 4);
  std::uniform_real_distribution<double> unit(0, 1);
  Crowd crowd;
  for (std::size_t i = 0; i < items; ++i) {
    auto& truth = crowd.truth.emplace_back();
    for (int n = count(rng); n > 0; --n) truth.push_back(true_object(rng));
    std::vector<std::int32_t> who(kCrowd.size());
    std::iota(who.begin(), who.end(), 0);
    std::shuffle(who.begin(), who.end(), rng);
    ItemAnswers item{i + 1, {}};
    for (std::size_t j = 0; j < 3; ++j) {
      const auto& p = kCrowd[static_cast<std::size_t>(who[j])];
      Answer answer{who[j], {}};
      for (const auto& object : truth)
        if (unit(rng) >= p.miss) answer.objects.push_back(annotate(object, p, rng));
      if (unit(rng) < p.false_box) answer.objects.push_back(annotate(true_object(rng), p, rng));
      item.answers.push_back(std::move(answer));
    }
    crowd.items.push_back(std::move(item));
  }
  return crowd;
}

ConsensusOptions crowd_options() {
  ConsensusOptions options;
  options.classes = kClasses;
  options.annotators = static_cast<std::int32_t>(kCrowd.size());
  options.keypoint_count = kKeypoints;
  return options;
}

void print_row(const char* who, const Comparison& c) {
  std::printf("  %-12s precision %.3f  recall %.3f  mean IoU %.3f  OKS %.3f  class acc %.3f\n", who,
              c.precision(), c.recall(), c.mean_iou(), c.mean_oks(), c.class_accuracy());
}

// The consensus against the truth on the items annotator `a` answered (all items: a < 0).
Comparison fused_on(const Crowd& crowd, const ObjectConsensus& result, std::int32_t a) {
  Comparison fused;
  for (std::size_t i = 0; i < crowd.items.size(); ++i) {
    const auto& answers = crowd.items[i].answers;
    if (a >= 0 && std::none_of(answers.begin(), answers.end(),
                               [a](const Answer& answer) { return answer.annotator == a; }))
      continue;
    fused += compare(crowd.truth[i], drawn(result.items[i]), 0.5, kSigmas);
  }
  return fused;
}

// Each annotator against the consensus on the same items: the consensus must be closer to the
// truth than every single annotator, the best included.
TEST(ObjectConsensus, FusedObjectsBeatTheBestSingleAnnotator) {
  const Crowd crowd = simulate(400, 17);
  const auto result = object_consensus(crowd.items, crowd_options());
  std::vector<std::optional<std::vector<DrawnObject>>> truth(crowd.truth.begin(),
                                                             crowd.truth.end());
  const auto single = against_reference(crowd.items, truth, 5, 0.5, kSigmas);
  std::printf("simulated crowd, 400 items, 3 of 5 annotators each, against the truth:\n");
  print_row("consensus", fused_on(crowd, result, -1));
  for (std::int32_t a = 0; a < 5; ++a) {
    const auto& s = single.scores[static_cast<std::size_t>(a)];
    const auto fused = fused_on(crowd, result, a);
    const auto& w = result.weights;
    print_row(a == 4 ? "careless" : ("annotator " + std::to_string(a)).c_str(), s);
    print_row("  consensus", fused);
    std::printf("  %-12s reliability %.3f  box weight %.0f  keypoint weight %.0f\n", "",
                w.reliability[a], w.box[a], w.keypoint[a]);
    EXPECT_GT(fused.mean_iou(), s.mean_iou()) << "annotator " << a;
    EXPECT_GE(fused.precision(), s.precision()) << "annotator " << a;
    EXPECT_GE(fused.recall(), s.recall()) << "annotator " << a;
    EXPECT_GT(fused.mean_oks(), s.mean_oks()) << "annotator " << a;
  }
  const auto& reliability = result.weights.reliability;
  const auto lowest = std::min_element(reliability.begin(), reliability.end());
  EXPECT_EQ(lowest - reliability.begin(), 4) << "the careless annotator is the least reliable";
}

TEST(ObjectConsensus, AssignmentIsOptimalWhereGreedyIsNot) {
  // Greedy takes row 0 -> column 0 (cost 1) and leaves row 1 with cost 10: 11 in all.
  const std::vector<double> cost = {1, 2, 2, 10};
  EXPECT_EQ(min_cost_assignment(cost, 2, 2), (std::vector<std::int32_t>{1, 0}));
  const std::vector<double> wide = {5, 1, 9};  // one row, three columns
  EXPECT_EQ(min_cost_assignment(wide, 1, 3), (std::vector<std::int32_t>{1}));
  const std::vector<double> tall = {5, 1, 9};  // three rows, one column
  EXPECT_EQ(min_cost_assignment(tall, 3, 1), (std::vector<std::int32_t>{-1, 0, -1}));
}

TEST(ObjectConsensus, WeightedMedianInterpolates) {
  EXPECT_DOUBLE_EQ(weighted_median({{1, 1}, {7, 1}, {3, 1}}), 3);
  EXPECT_DOUBLE_EQ(weighted_median({{2, 1}, {4, 1}}), 3);
  EXPECT_DOUBLE_EQ(weighted_median({{2, 1}, {4, 1}, {100, 0}}), 3);  // no weight, no pull
  // 2 sits at 5/12, 4 at 10.5/12 on the cumulative scale: 1/2 lies 2/11 of the way.
  EXPECT_DOUBLE_EQ(weighted_median({{2, 10}, {4, 1}, {100, 1}}), 2 + 2 * 2.0 / 11);
}

DrawnObject box(double x0, double y0, double x1, double y1, std::int32_t label = 0) {
  DrawnObject o;
  o.box = {x0, y0, x1, y1};
  o.label = label;
  return o;
}

TEST(ObjectConsensus, KeepsSupportedObjectsAndSendsSplitsToAdjudication) {
  ConsensusOptions options;
  options.classes = 2;
  options.annotators = 4;
  options.passes = 1;  // equal weights
  ItemAnswers agreed{1,
                     {{0, {box(10, 10, 50, 50, 1)}},
                      {1, {box(12, 10, 52, 50, 1)}},
                      {2, {box(10, 12, 50, 52, 1), box(200, 200, 220, 220)}}}};
  ItemAnswers split{2, {{0, {box(10, 10, 50, 50)}}, {3, {}}}};
  const auto result = object_consensus({agreed, split}, options);
  ASSERT_EQ(result.items[0].objects.size(), 1u);  // the lone box at 200,200 lacks support
  const auto& fused = result.items[0].objects[0];
  EXPECT_EQ(fused.label, 1);
  EXPECT_EQ(fused.support, 3);
  EXPECT_NEAR(fused.box[0], 32.0 / 3, 1e-9);  // equal weights: the corners' mean
  EXPECT_FALSE(result.items[0].split);
  EXPECT_TRUE(result.items[1].split);  // one of two answers drew it
  EXPECT_TRUE(result.items[1].adjudicate);
  options.min_support = 0.75;  // now one of two falls short
  EXPECT_TRUE(object_consensus({split}, options).items[0].objects.empty());
}

TEST(ObjectConsensus, KeypointsTakeTheMedianAndVisibilityByVote) {
  DrawnObject a = box(0, 0, 100, 100), b = a, c = a;
  a.keypoints = {10, 10, 2, 50, 50, 0};
  b.keypoints = {12, 11, 2, 0, 0, 0};
  c.keypoints = {90, 90, 1, 55, 55, 2};  // a stray first point
  const std::vector<Weighted> members = {{&a, 1}, {&b, 1}, {&c, 1}};
  const auto fused = fuse_keypoints(members, 2);
  EXPECT_EQ(fused, (std::vector<double>{12, 11, 2, 0, 0, 0}));
}

TEST(ObjectConsensus, PrelabelsKeptAdjustedDeletedAdded) {
  const std::vector<DrawnObject> prelabels = {box(0, 0, 100, 100), box(200, 0, 300, 100),
                                              box(0, 200, 100, 300), box(400, 400, 450, 450)};
  const std::vector<DrawnObject> answer = {box(0, 0, 100, 101),       // kept (IoU 0.99)
                                           box(210, 0, 300, 100),     // adjusted (IoU 0.9)
                                           box(0, 200, 100, 300, 1),  // class changed: adjusted
                                           box(500, 300, 560, 360)};  // added; 400,400 deleted
  const auto counts = account_prelabels(prelabels, answer, 0.5);
  EXPECT_EQ(counts.kept, 1);
  EXPECT_EQ(counts.adjusted, 2);
  EXPECT_EQ(counts.deleted, 1);
  EXPECT_EQ(counts.added, 1);
}

TEST(ObjectConsensus, AnnotatorsAgreeOnObjects) {
  const Crowd crowd = simulate(200, 5);
  const auto agreement = between_annotators(crowd.items, 0.5, kSigmas);
  std::printf("agreement between annotators: mean IoU %.3f  object F1 %.3f  OKS %.3f\n",
              agreement.mean_iou(), agreement.f1(), agreement.mean_oks());
  EXPECT_GT(agreement.mean_iou(), 0.7);
  EXPECT_GT(agreement.f1(), 0.7);
  EXPECT_LT(agreement.f1(), 1.0);  // misses and false boxes are disagreements
  EXPECT_GT(agreement.mean_oks(), 0.5);
}

}  // namespace
}  // namespace quarry::ingest::objects

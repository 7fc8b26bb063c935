#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "train/detection_loss.hpp"

namespace quarry::train {
namespace {

// 2 classes, 2 keypoints, 32 x 32 inputs: 8 x 8 cells.
const TargetShape kShape{2, 2, 32, 32, 4};

DetectionHeads random_heads(std::int64_t items, int seed) {
  torch::manual_seed(seed);
  return {torch::randn({items, 2, 8, 8}), torch::rand({items, 2, 8, 8}) * 30,
          torch::rand({items, 2, 8, 8}), torch::randn({items, 2, 8, 8}),
          torch::rand({items, 4, 8, 8})};
}

ItemObjects objects_of(int item) {
  ItemObjects o;
  o.boxes = {float(2 + item), 3, float(20 + 2 * item), 25, 14, 10, 30, float(18 + item)};
  o.labels = {item % 2, 1};
  o.keypoints = {5, 6, 2, 12, 20, float(item % 2), 20, 12, 1, 25, 15, 2};
  o.weights = {1.0f, 0.25f * float(item + 1)};
  return o;
}

DetectionTargets targets_of(int first, int count, double objects, double visible) {
  DetectionTargets t(kShape, count);
  for (int b = 0; b < count; ++b) add_item_targets(t, b, objects_of(first + b));
  t.objects = objects;
  t.visible_keypoints = visible;
  return t;
}

TEST(DetectionLoss, FocalLossIsCenterNetsPenaltyReducedFocalLoss) {
  const auto logits = torch::tensor({0.0f, 0.0f, 2.0f, -1.0f});
  const auto target = torch::tensor({1.0f, 0.5f, 0.0f, 1.0f});
  const auto weight = torch::tensor({1.0f, 1.0f, 1.0f, 0.0f});  // the last cell ignored
  const double p2 = 1 / (1 + std::exp(-2.0));
  const double want = -(0.25 * std::log(0.5) + std::pow(0.5, 4) * 0.25 * std::log(0.5) +
                        p2 * p2 * std::log(1 - p2)) /
                      2;
  EXPECT_NEAR(focal_loss(logits, target, weight, 2).item<double>(), want, 1e-6);
}

TEST(DetectionLoss, SizeAndOffsetAreL1AtTheCentreCells) {
  DetectionTargets t({1, 0, 32, 32, 4}, 2);
  ItemObjects o;
  o.boxes = {4, 4, 20, 12};  // centre (12, 8): cell (3, 2), offset (0, 0); size 16 x 8
  o.labels = {0};
  o.weights = {0.5f};
  add_item_targets(t, 1, o);
  t.objects = 1;
  auto size = torch::zeros({2, 2, 8, 8});
  size.index_put_({1, 0, 2, 3}, 10.0f);  // width predicted 10 (6 short), height 0 (8 short)
  DetectionHeads heads{torch::full({2, 1, 8, 8}, -20.0f), size, torch::zeros({2, 2, 8, 8}), {}, {}};
  const auto loss = detection_loss(heads, t);
  EXPECT_NEAR(loss.size, 0.5 * (6 + 8) / 2, 1e-5);
  EXPECT_NEAR(loss.offset, 0.0, 1e-6);
}

TEST(DetectionLoss, RanksSharesAddUpToTheWholeBatch) {
  // Normalised by the global batch's counts, the losses of two halves sum to the whole's: what
  // lets data-parallel ranks sum their gradients.
  const auto whole = random_heads(4, 3);
  const double objects = 8, visible = 14;
  const auto all = detection_loss(whole, targets_of(0, 4, objects, visible));
  double parts = 0;
  for (int first : {0, 2}) {
    DetectionHeads half{whole.center.narrow(0, first, 2), whole.size.narrow(0, first, 2),
                        whole.offset.narrow(0, first, 2),
                        whole.keypoint_heatmap.narrow(0, first, 2),
                        whole.keypoint_offset.narrow(0, first, 2)};
    parts += detection_loss(half, targets_of(first, 2, objects, visible)).total.item<double>();
  }
  EXPECT_GT(all.keypoint, 0);
  EXPECT_GT(all.keypoint_offset, 0);
  EXPECT_NEAR(parts, all.total.item<double>(), 1e-4);
}

TEST(DetectionLoss, ObjectWeightsScaleTheirTerms) {
  const auto heads = random_heads(1, 5);
  auto t = targets_of(0, 1, 2, 4);
  const auto base = detection_loss(heads, t);
  for (auto& w : t.box_weight) w *= 2;
  EXPECT_NEAR(detection_loss(heads, t).size, 2 * base.size, 1e-5);
}

TEST(DetectionLoss, HeadsOfTheWrongShapeAreBadInput) {
  c10::Dict<std::string, torch::Tensor> dict;
  dict.insert("center", torch::zeros({2, 2, 8, 8}));
  dict.insert("size", torch::zeros({2, 2, 8, 8}));
  EXPECT_THROW(parse_heads(dict, {2, 0, 32, 32, 4}, 2, "m.pt"), InputError);  // no offset
  dict.insert("offset", torch::zeros({2, 2, 4, 4}));
  try {
    parse_heads(dict, {2, 0, 32, 32, 4}, 2, "m.pt");
    FAIL() << "a wrong shape passed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("[2,2,4,4]"), std::string::npos) << e.what();
  }
  dict.insert_or_assign("offset", torch::zeros({2, 2, 8, 8}));
  EXPECT_NO_THROW(parse_heads(dict, {2, 0, 32, 32, 4}, 2, "m.pt"));
  EXPECT_THROW(parse_heads(dict, {2, 2, 32, 32, 4}, 2, "m.pt"), InputError);  // no keypoints
}

}  // namespace
}  // namespace quarry::train

// Simulated correcting annotators of object pools: right pre-labels are kept as they are, off
// ones adjusted, false ones deleted, missed objects drawn and keypoints placed; each answer's
// actions are what it did, so its seconds follow; noise and misses hold their rates on many items.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "ingest/objects/iou_match.hpp"
#include "simulate/object_annotators.hpp"

namespace quarry::simulate {
namespace {

using ingest::objects::DrawnObject;

DrawnObject box(double x0, double y0, double x1, double y1, std::int32_t label = 0) {
  DrawnObject o;
  o.box = {x0, y0, x1, y1};
  o.label = label;
  return o;
}

ImageFrame frame(std::size_t keypoints = 0) {
  ImageFrame f;
  f.width = 200, f.height = 200, f.classes = 3;
  f.sigmas.assign(keypoints, 0.05);
  return f;
}

ObjectAnnotatorModel exact() {  // no misses, no false boxes, no wrong classes
  return {"exact", 0.03, 0.0, 0.0, 0.0, 0.03};
}

TEST(ObjectAnnotators, KeepAdjustDeleteDraw) {
  ItemToAnnotate item;
  item.id = 7;
  item.truth = {box(10, 10, 60, 60), box(100, 100, 150, 150, 1), box(20, 120, 60, 180, 2)};
  item.prelabels = {box(10, 10, 60, 61),                           // right: kept as it is
                    box(110, 110, 160, 160, 1),                    // IoU 0.47: adjusted
                    box(150, 10, 190, 40)};                        // nothing there: deleted
  const auto answer = correct_item(item, 0, exact(), frame(), 1);  // the third truth: drawn
  EXPECT_EQ(answer.actions, (Actions{1, 1, 1, 1, 0}));
  ASSERT_EQ(answer.objects.size(), 3u);
  EXPECT_EQ(answer.objects[0].box, item.prelabels[0].box);  // kept untouched
  EXPECT_GT(ingest::objects::box_iou(answer.objects[1].box, item.truth[1].box), 0.7);
  EXPECT_GT(ingest::objects::box_iou(answer.objects[2].box, item.truth[2].box), 0.7);
  const TimeModel m;
  EXPECT_DOUBLE_EQ(answer_seconds(answer.actions, m), 7.8 + 9.0 + 16.0 + 9.0 + 25.5);
}

TEST(ObjectAnnotators, WrongClassIsAdjustedAndRightPrelabelsCostLessThanScratch) {
  ItemToAnnotate item;
  item.id = 3;
  item.truth = {box(10, 10, 60, 60, 0), box(100, 100, 150, 150, 1)};
  item.prelabels = {box(10, 10, 60, 60, 2), box(100, 100, 150, 150, 1)};
  const auto answer = correct_item(item, 0, exact(), frame(), 1);
  EXPECT_EQ(answer.actions, (Actions{1, 1, 0, 0, 0}));
  EXPECT_EQ(answer.objects[0].label, 0);
  const TimeModel m;
  EXPECT_LT(answer_seconds(answer.actions, m), answer_seconds(scratch_actions(item.truth), m));
  item.prelabels.clear();  // from scratch: both drawn
  EXPECT_EQ(correct_item(item, 0, exact(), frame(), 1).actions, scratch_actions(item.truth));
}

TEST(ObjectAnnotators, KeypointsRightAreKeptWrongArePlaced) {
  ItemToAnnotate item;
  item.id = 4;
  DrawnObject truth = box(50, 50, 150, 150);
  truth.keypoints = {80, 80, 2, 120, 80, 2, 0, 0, 0};  // the third not labelled
  DrawnObject pre = truth;
  pre.keypoints = {81, 80, 2, 60, 140, 2, 100, 100, 2};  // the second far off
  item.truth = {truth};
  item.prelabels = {pre};
  const auto answer = correct_item(item, 0, exact(), frame(3), 1);
  EXPECT_EQ(answer.actions, (Actions{1, 0, 0, 0, 1}));
  const auto& kp = answer.objects.at(0).keypoints;
  EXPECT_EQ(kp[0], 81);                                // kept
  EXPECT_LT(std::hypot(kp[3] - 120, kp[4] - 80), 20);  // placed near the truth
  EXPECT_EQ(kp[8], 0);                                 // not labelled stays so
  item.prelabels.clear();
  EXPECT_EQ(correct_item(item, 0, exact(), frame(3), 1).actions.keypoints, 2);
}

TEST(ObjectAnnotators, NoiseAndMissesHoldTheirRatesAndAreSeeded) {
  std::vector<ItemToAnnotate> items;
  for (std::uint64_t id = 1; id <= 2000; ++id) {
    ItemToAnnotate item;
    item.id = id;
    item.truth = {box(20, 30, 100, 110, std::int32_t(id % 3))};
    items.push_back(item);
  }
  const std::vector<ObjectAnnotatorModel> crowd = {{"a", 0.04, 0.2, 0.1, 0.1, 0.04}};
  const auto answers = correct_items(items, crowd, 1, frame(), 5);
  ASSERT_EQ(answers.size(), items.size());
  double drawn = 0, iou = 0, wrong = 0, false_boxes = 0, kept = 0;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    for (const auto& o : answers[i].objects) {
      const double overlap = ingest::objects::box_iou(o.box, items[i].truth[0].box);
      if (overlap < 0.3) {
        ++false_boxes;
        continue;
      }
      ++drawn, iou += overlap, wrong += o.label != items[i].truth[0].label;
    }
    kept += answers[i].actions.kept;
  }
  EXPECT_NEAR(drawn / 2000, 0.8, 0.03);  // miss 0.2
  EXPECT_NEAR(wrong / drawn, 0.1, 0.03);
  EXPECT_NEAR(false_boxes / 2000, 0.1, 0.03);
  EXPECT_GT(iou / drawn, 0.8);
  EXPECT_LT(iou / drawn, 0.97);  // jittered, not exact
  EXPECT_EQ(kept, 0);
  const auto again = correct_items(items, crowd, 1, frame(), 5);
  EXPECT_EQ(again[17].objects.size(), answers[17].objects.size());
  EXPECT_EQ(again[17].objects.at(0).box, answers[17].objects.at(0).box);
}

TEST(ObjectAnnotators, ParsesProfiles) {
  const auto crowd = parse_object_annotators("0.03:0.08:0.1:0.05:0.03,0.1:0.2:0.3:0.4:0.5");
  ASSERT_EQ(crowd.size(), 2u);
  EXPECT_EQ(crowd[1].name, "obj2");
  EXPECT_DOUBLE_EQ(crowd[1].keypoint_sd, 0.5);
  EXPECT_THROW(parse_object_annotators("0.1:0.2"), UsageError);
  EXPECT_THROW(parse_object_annotators("0.1:0.2:0.3:0.4:1.5"), UsageError);
  EXPECT_EQ(default_object_annotators().size(), 4u);
}

}  // namespace
}  // namespace quarry::simulate

// The annotator-time model: an answer's seconds are its actions at their prices, the published
// defaults, overrides by key, and drawing by extreme clicking.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "simulate/annotator_time.hpp"

namespace quarry::simulate {
namespace {

TEST(AnnotatorTime, DefaultsAreThePublishedFigures) {
  const TimeModel m;
  EXPECT_DOUBLE_EQ(m.draw_box_s, 25.5);         // Su et al. 2012
  EXPECT_DOUBLE_EQ(m.verify_box_s, 9.0);        // Su et al. 2012
  EXPECT_DOUBLE_EQ(m.image_s, 7.8);             // Su et al. 2012, coverage
  EXPECT_DOUBLE_EQ(m.extreme_clicking_s, 7.0);  // Papadopoulos et al. 2017
  EXPECT_DOUBLE_EQ(m.adjust_box_s, m.verify_box_s + m.extreme_clicking_s);
  EXPECT_DOUBLE_EQ(m.keypoint_s, m.extreme_clicking_s / 4);
}

TEST(AnnotatorTime, AnswerCostsItsActions) {
  const TimeModel m;
  Actions a;
  EXPECT_DOUBLE_EQ(answer_seconds(a, m), 7.8);  // an empty image is still looked over
  a.kept = 2, a.adjusted = 1, a.deleted = 1, a.drawn = 1, a.keypoints = 4;
  EXPECT_DOUBLE_EQ(answer_seconds(a, m), 7.8 + 2 * 9.0 + 16.0 + 9.0 + 25.5 + 4 * 1.75);
  TimeModel clicking = m;
  clicking.drawing = BoxDrawing::extreme_clicking;
  EXPECT_DOUBLE_EQ(answer_seconds(a, m) - answer_seconds(a, clicking), 25.5 - 7.0);
  Actions b = a;
  b += a;
  EXPECT_EQ(b.kept, 4);
  EXPECT_EQ(b.keypoints, 8);
}

TEST(AnnotatorTime, OverridesByKey) {
  const auto m = parse_time_model("draw=30,keypoint=2.5,image=0");
  EXPECT_DOUBLE_EQ(m.draw_box_s, 30);
  EXPECT_DOUBLE_EQ(m.keypoint_s, 2.5);
  EXPECT_DOUBLE_EQ(m.image_s, 0);
  EXPECT_DOUBLE_EQ(m.verify_box_s, 9.0);
  EXPECT_EQ(time_model_json(m)["draw"], 30.0);
  EXPECT_EQ(time_model_json(m)["box_drawing"], "drag");
  EXPECT_THROW(parse_time_model("drawing=3"), UsageError);
  EXPECT_THROW(parse_time_model("draw=-1"), UsageError);
  EXPECT_THROW(parse_time_model("draw=3s"), UsageError);
  EXPECT_THROW(parse_time_model("draw"), UsageError);
  EXPECT_EQ(parse_box_drawing("extreme-clicking"), BoxDrawing::extreme_clicking);
  EXPECT_THROW(parse_box_drawing("lasso"), UsageError);
}

}  // namespace
}  // namespace quarry::simulate

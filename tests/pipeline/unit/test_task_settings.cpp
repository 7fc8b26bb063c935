// Detection and keypoint workspaces (issue 18): the pool's task picks the defaults, the round's
// settings carry the task, the stage builders give a detector's options, and settings that
// cannot work on objects are refused by key.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.hpp"
#include "pipeline/round_options.hpp"
#include "pipeline/task_defaults.hpp"
#include "pipeline/workspace_config.hpp"
#include "support/settings_refusal.hpp"

namespace quarry::pipeline {
namespace {

TEST(TaskSettings, ClassifyKeepsTheClassifiersDefaults) {
  const auto config = default_config(pool::Task::classify);
  EXPECT_EQ(config.values(), WorkspaceConfig().values());
  const auto s = round_settings(config);
  EXPECT_EQ(s.task, pool::Task::classify);
  EXPECT_EQ(s.arch, "small-cnn");
  EXPECT_EQ(s.acquisition, "margin");
}

TEST(TaskSettings, DetectionPoolsGetADetectorsDefaults) {
  const auto config = default_config(pool::Task::detect);
  check_settings(config);
  EXPECT_EQ(config.origin("arch"), "default: for detect pools");
  const auto s = round_settings(config);
  EXPECT_EQ(s.task, pool::Task::detect);
  EXPECT_EQ(s.arch, "centernet-small");
  EXPECT_EQ(s.acquisition, "det_margin_sum");
  EXPECT_EQ(s.score_batch, 128u);  // below the detector's batch-256 cache cliff
  EXPECT_EQ(s.train_batch, 32);
  EXPECT_DOUBLE_EQ(s.lr, 0.002);
  EXPECT_FLOAT_EQ(float(s.prelabel_min_confidence), 0.3f);  // as quarry export
  const auto keypoints = round_settings(default_config(pool::Task::keypoints));
  EXPECT_EQ(keypoints.task, pool::Task::keypoints);
  EXPECT_EQ(keypoints.acquisition, "det_keypoint_mean");
}

TEST(TaskSettings, TheBuildersGiveADetectorsOptions) {
  auto config = default_config(pool::Task::detect);
  config.set("prelabel-min-confidence", "0.45", "quarry.ini", "line 3");
  const auto s = round_settings(config);
  RoundPaths paths;
  paths.ledger = "/nonexistent/labels.h5";
  paths.scores = "scores.h5";
  paths.selection = "selection.h5";
  const auto scoring = score_options(s, paths);
  EXPECT_EQ(scoring.batch, 128u);
  EXPECT_TRUE(scoring.acquisitions.empty());  // the detection defaults hold det_margin_sum
  EXPECT_EQ(select_options(s, 2, paths).acquisition, "det_margin_sum");
  const auto training = train_options(s, 2, paths, 40);
  EXPECT_EQ(training.batch, 32);
  EXPECT_EQ(training.epochs, s.epochs);  // a continued model: train.epochs
  paths.fresh_model = true;              // the first model trained: at least 8000 images
  EXPECT_EQ(train_options(s, 1, paths, 40).epochs, 200);
  const auto exporting = export_inputs(s, 2, paths);
  EXPECT_DOUBLE_EQ(exporting.prelabel_min_confidence, 0.45);
  EXPECT_TRUE(exporting.labels.empty());  // no ledger yet
  EXPECT_EQ(exporting.scores, "scores.h5");
}

TEST(TaskSettings, AnAcquisitionScoredOnlyWhenNamedIsNamed) {
  auto config = default_config(pool::Task::detect);
  config.set("acquisition", "det_localization", "quarry.ini", "line 2");
  check_settings(config);
  const auto names = score_options(round_settings(config), RoundPaths{}).acquisitions;
  EXPECT_NE(std::find(names.begin(), names.end(), "det_localization"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "det_margin_mean"), names.end());
}

TEST(TaskSettings, ArchMustFitTheTask) {
  auto detect = default_config(pool::Task::detect);
  detect.set("pool", "/data/scenes.h5", "command line", "--pool");
  const auto classifier = refusal("arch", "small-cnn", detect);
  EXPECT_NE(classifier.find("quarry.ini: line 1"), std::string::npos) << classifier;
  EXPECT_NE(classifier.find("/data/scenes.h5"), std::string::npos) << classifier;
  EXPECT_NE(classifier.find("detect pool"), std::string::npos) << classifier;
  EXPECT_NE(classifier.find("centernet-small"), std::string::npos) << classifier;
  const auto detector = refusal("arch", "centernet-small", WorkspaceConfig());
  EXPECT_NE(detector.find("a detector"), std::string::npos) << detector;
  EXPECT_NE(detector.find("classify pool"), std::string::npos) << detector;
}

TEST(TaskSettings, WhatCannotWorkOnObjectsIsRefusedByKey) {
  const auto detect = default_config(pool::Task::detect);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"gold-rate", "0.1"},
                                                        {"train.unlabeled-pool", "true"},
                                                        {"audit.folds", "3"},
                                                        {"stop.set-size", "500"},
                                                        {"strategy", "badge"},
                                                        {"acquisition", "margin"}}) {
    const auto message = refusal(key, value, detect);
    EXPECT_NE(message.find(key), std::string::npos) << message;
    EXPECT_NE(message.find("line 1"), std::string::npos) << message;
  }
  EXPECT_NE(refusal("acquisition", "det_margin_mean", WorkspaceConfig()).find("classify"),
            std::string::npos);
  EXPECT_NE(refusal("acquisition", "det_keypoint_mean", detect).find("detect"), std::string::npos);
  EXPECT_NE(refusal("prelabel-min-confidence", "1.5", detect).find("fraction"), std::string::npos);
  EXPECT_EQ(refusal("strategy", "margin-kcenter", detect), "accepted");
  EXPECT_EQ(refusal("acquisition", "det_margin_sum", default_config(pool::Task::keypoints)),
            "accepted");
}

}  // namespace
}  // namespace quarry::pipeline

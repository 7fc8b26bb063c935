// The label-efficiency levers' keys of quarry.ini (issue 20): off by default, read into the
// round's settings, and bad values refused by key.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pipeline/round_options.hpp"
#include "pipeline/workspace_config.hpp"
#include "support/settings_refusal.hpp"

namespace quarry::pipeline {
namespace {

TEST(LeverSettings, AreOffByDefault) {
  const auto settings = round_settings(WorkspaceConfig());
  EXPECT_FALSE(settings.stop.enabled());
  EXPECT_EQ(settings.seed_strategy, "random");
  EXPECT_EQ(settings.audit_folds, 0);
  EXPECT_FALSE(settings.unlabeled_pool);
  const RoundPaths paths;
  EXPECT_FALSE(train_options(settings, 1, paths, 10).unlabeled_pool);
  EXPECT_EQ(train_options(settings, 1, paths, 10).unlabeled_ratio,
            train::TrainOptions{}.unlabeled_ratio);
}

TEST(LeverSettings, AreReadIntoTheRoundsSettings) {
  WorkspaceConfig config;
  config.set("stop.set-size", "2000", "f", "1");
  config.set("stop.kappa", "0.98", "f", "2");
  config.set("stop.window", "2", "f", "3");
  config.set("seed-strategy", "typiclust", "f", "4");
  config.set("audit.folds", "3", "f", "5");
  config.set("train.unlabeled-pool", "true", "f", "6");
  config.set("train.unlabeled-ratio", "2", "f", "7");
  check_settings(config);
  const auto s = round_settings(config);
  EXPECT_EQ(s.stop.set_size, 2000u);
  EXPECT_DOUBLE_EQ(s.stop.kappa, 0.98);
  EXPECT_EQ(s.stop.window, 2);
  EXPECT_EQ(s.seed_strategy, "typiclust");
  EXPECT_EQ(s.audit_folds, 3);
  const RoundPaths paths;
  EXPECT_TRUE(train_options(s, 1, paths, 10).unlabeled_pool);
  EXPECT_EQ(train_options(s, 1, paths, 10).unlabeled_ratio, 2);
}

TEST(LeverSettings, BadValuesAreRefusedByKey) {
  EXPECT_NE(refusal("stop.kappa", "1.5").find("stop.kappa"), std::string::npos);
  EXPECT_NE(refusal("stop.window", "0").find("must be at least 1"), std::string::npos);
  EXPECT_NE(refusal("audit.folds", "1").find("0 (off) or at least 2"), std::string::npos);
  EXPECT_NE(refusal("seed-strategy", "kcenter").find("unknown seed-round strategy"),
            std::string::npos);
  const auto yes = refusal("train.unlabeled-pool", "yes");
  EXPECT_NE(yes.find("train.unlabeled-pool"), std::string::npos) << yes;
  EXPECT_NE(refusal("train.unlabeled-ratio", "0").find("must be at least 1"), std::string::npos);
  EXPECT_EQ(refusal("seed-strategy", "typiclust"), "accepted");
}

}  // namespace
}  // namespace quarry::pipeline

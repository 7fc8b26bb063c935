// One wiring of a round: for the same settings, quarry cycle (a workspace's quarry.ini) and
// quarry simulate (its options) give every stage the same options, field by field.
#include <gtest/gtest.h>

#include <fstream>

#include "core/seeded.hpp"
#include "pipeline/round_options.hpp"
#include "pipeline/workspace_config.hpp"
#include "simulate/one_run.hpp"
#include "simulate/options.hpp"
#include "support/temp_dir.hpp"

namespace quarry::simulate {
namespace {

namespace fs = std::filesystem;

// Every setting a round's stages read, away from its default on both sides.
const char* const kWorkspaceSettings = R"(pool = pool.h5
eval-pool = test.h5
arch = mlp
seed = 7
k = 50
strategy = margin-kcenter
acquisition = entropy
consensus = majority
min-confidence = 0.5

[train]
epochs = 3
batch = 32
lr = 0.01
threads = 2

[score]
threads = 2
mc-samples = 4

[select]
candidates = 120
)";

SimulateOptions equivalent_simulation() {
  SimulateOptions o;
  o.pool = "pool.h5";
  o.test_pool = "test.h5";
  o.arch = "mlp";
  o.batch = 50;
  o.acquisition = "entropy";
  o.consensus = "majority";
  o.min_confidence = 0.5;
  o.epochs = 3;
  o.train_batch = 32;
  o.lr = 0.01;
  o.threads = 2;
  o.mc_samples = 4;
  o.candidates = 120;
  o.warm_start = true;  // as quarry cycle: later rounds continue the previous model
  o.train_images = 0;   // as quarry cycle: train.epochs, however few the labels
  return o;
}

struct Sides {
  pipeline::RoundSettings cycle, simulation;
};

Sides settings_of_both(const fs::path& dir) {
  std::ofstream(dir / "quarry.ini") << kWorkspaceSettings;
  return {pipeline::round_settings(pipeline::read_workspace_config(dir / "quarry.ini")),
          round_settings(equivalent_simulation(), "margin-kcenter", 7)};
}

pipeline::RoundPaths paths_in(const fs::path& dir, bool fresh_model) {
  pipeline::RoundPaths paths;
  paths.ledger = dir / "labels.h5";
  paths.model_in = dir / (fresh_model ? "model.init.pt" : "previous.pt");
  paths.fresh_model = fresh_model;
  paths.model = dir / "model.pt";
  paths.scores = dir / "scores.h5";
  paths.selection = dir / "selection.h5";
  paths.exclude = {dir / "earlier-selection.h5"};
  return paths;
}

TEST(RoundOptions, CycleAndSimulationBuildTheSameStageOptions) {
  testing::TempDir dir;
  const auto [cycle, simulation] = settings_of_both(dir.path());
  const int round = 2;
  for (const bool fresh : {false, true}) {
    const auto paths = paths_in(dir.path(), fresh);
    const auto selecting = pipeline::select_options(cycle, round, paths);
    EXPECT_TRUE(selecting == pipeline::select_options(simulation, round, paths));
    const auto scoring = pipeline::score_options(cycle, paths);
    EXPECT_TRUE(scoring == pipeline::score_options(simulation, paths));
    const auto training = pipeline::train_options(cycle, round, paths, 200);
    EXPECT_TRUE(training == pipeline::train_options(simulation, round, paths, 200));
    const auto ingesting = pipeline::ingest_request(cycle, round, paths,
                                                    ingest::AnnotationFormat::csv, {dir / "a.csv"});
    EXPECT_TRUE(ingesting == pipeline::ingest_request(simulation, round, paths,
                                                      ingest::AnnotationFormat::csv,
                                                      {dir / "a.csv"}));

    // The settings reached the options (equal but ignored would pass the checks above).
    EXPECT_EQ(selecting.k, 50u);
    EXPECT_EQ(selecting.strategy, select::Strategy::margin_kcenter);
    EXPECT_EQ(selecting.acquisition, "entropy");
    EXPECT_EQ(selecting.candidates, 120u);
    EXPECT_EQ(selecting.seed, derive_seed(7, Purpose::selection, round));
    EXPECT_EQ(selecting.exclude, paths.exclude);
    EXPECT_FALSE(selecting.labels.has_value());  // no ledger yet
    EXPECT_EQ(scoring.mc_samples, 4);
    EXPECT_EQ(scoring.threads, 2);
    EXPECT_EQ(scoring.seed, 7u);
    EXPECT_EQ(training.model, paths.model_in);
    EXPECT_EQ(training.eval_pool, "test.h5");
    EXPECT_EQ(training.epochs, 3);
    EXPECT_EQ(training.batch, 32);
    EXPECT_DOUBLE_EQ(training.lr, 0.01);
    EXPECT_EQ(training.seed, derive_seed(7, Purpose::training, round));
    EXPECT_EQ(ingesting.consensus, ingest::ConsensusMethod::majority);
    EXPECT_DOUBLE_EQ(ingesting.min_confidence, 0.5);
    EXPECT_EQ(ingesting.round, round);
  }
}

TEST(RoundOptions, TheDifferencesAreNamedSettings) {
  testing::TempDir dir;
  auto [cycle, simulation] = settings_of_both(dir.path());
  // quarry simulate skips scoring for random after its first round; nothing else differs.
  EXPECT_FALSE(cycle.random_reuses_scores);
  EXPECT_TRUE(simulation.random_reuses_scores);
  simulation.random_reuses_scores = false;
  EXPECT_TRUE(cycle == simulation);

  // An examples budget applies to fresh models only; without warm starts every round is fresh.
  simulation.train_images = 2000;
  EXPECT_EQ(pipeline::train_options(simulation, 1, paths_in(dir.path(), true), 100).epochs, 20);
  EXPECT_EQ(pipeline::train_options(simulation, 1, paths_in(dir.path(), false), 100).epochs, 3);
  EXPECT_FALSE(pipeline::trains_fresh(cycle, true));
  EXPECT_TRUE(pipeline::trains_fresh(cycle, false));
  simulation.warm_start = false;
  EXPECT_TRUE(pipeline::trains_fresh(simulation, true));
}

TEST(RoundOptions, AWorkspaceDefaultsToTheStagesOwnDefaults) {
  const auto settings = pipeline::round_settings(pipeline::WorkspaceConfig());
  pipeline::RoundSettings defaults;
  defaults.k = settings.k;  // the workspace's own: items per round (quarry select has none)
  EXPECT_TRUE(settings == defaults);
}

}  // namespace
}  // namespace quarry::simulate

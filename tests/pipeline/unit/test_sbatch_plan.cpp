// The sbatch commands of a round: resources per stage from the settings, the scoring job sized
// from the pool, the afterok chain, and the script --dry-run prints.
#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/run_program.hpp"
#include "pipeline/sbatch_plan.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pipeline {
namespace {

bool has(const std::vector<std::string>& argv, const std::string& word) {
  return std::find(argv.begin(), argv.end(), word) != argv.end();
}

TEST(PipelineSbatch, ScoringNodesFollowThePoolSize) {
  WorkspaceConfig config;
  config.set("slurm.score.items-per-node", "1000", "test", "");
  config.set("slurm.score.max-nodes", "4", "test", "");
  EXPECT_EQ(score_nodes(config, 0), 1);
  EXPECT_EQ(score_nodes(config, 1000), 1);
  EXPECT_EQ(score_nodes(config, 1001), 2);
  EXPECT_EQ(score_nodes(config, 3500), 4);
  EXPECT_EQ(score_nodes(config, 1000000), 4);
}

TEST(PipelineSbatch, ResourcesPerStage) {
  WorkspaceConfig config;
  config.set("slurm.score.gpus-per-task", "2", "test", "");
  config.set("slurm.train.gpus-per-task", "0", "test", "");
  config.set("slurm.partition", "batch", "test", "");
  config.set("slurm.select.partition", "cpu", "test", "");
  config.set("slurm.export.mem", "16G", "test", "");
  const auto score = resource_options(config, Stage::score, 5'000'000);
  EXPECT_TRUE(has(score, "--nodes=3")) << shell_join(score);
  EXPECT_TRUE(has(score, "--gpus-per-task=2"));
  EXPECT_TRUE(has(score, "--partition=batch"));
  const auto train = resource_options(config, Stage::train, 5'000'000);
  EXPECT_TRUE(has(train, "--nodes=1"));
  EXPECT_FALSE(std::any_of(train.begin(), train.end(),
                           [](const std::string& w) { return w.rfind("--gpus", 0) == 0; }));
  EXPECT_TRUE(has(resource_options(config, Stage::select, 1), "--partition=cpu"));
  EXPECT_TRUE(has(resource_options(config, Stage::exporting, 1), "--mem=16G"));
}

TEST(PipelineSbatch, ChainAndDryRunScript) {
  testing::TempDir dir;
  Workspace workspace(dir / "ws");
  SubmitSetup setup{"/opt/quarry", "/opt/quarry/bin/quarry", 100};
  WorkspaceConfig config;
  config.set("slurm.extra", "--qos=night --mail-type=FAIL", "test", "");
  const auto jobs =
      plan_round_jobs(workspace, config, 7, {Stage::score, Stage::select, Stage::exporting}, setup);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_FALSE(jobs[0].depends);
  EXPECT_TRUE(jobs[1].depends && jobs[2].depends);
  EXPECT_EQ(jobs[0].argv.front(), "sbatch");
  EXPECT_TRUE(has(jobs[0].argv, "--parsable"));
  EXPECT_TRUE(has(jobs[0].argv, "--job-name=quarry-score-0007"));
  EXPECT_TRUE(has(jobs[0].argv, "--qos=night"));
  EXPECT_EQ(jobs[2].argv.back(), "/opt/quarry/slurm/export.sbatch");
  const auto exports = std::find_if(jobs[1].argv.begin(), jobs[1].argv.end(),
                                    [](auto& w) { return w.rfind("--export=", 0) == 0; });
  ASSERT_NE(exports, jobs[1].argv.end());
  EXPECT_NE(exports->find("QUARRY_ROUND=7"), std::string::npos);
  EXPECT_NE(exports->find("QUARRY_WORKSPACE=" + workspace.root().string()), std::string::npos);

  const auto script = render_plan(jobs);
  EXPECT_NE(script.find("score_job=$(sbatch --parsable --job-name=quarry-score-0007"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("select_job=$(sbatch --parsable --dependency=afterok:$score_job "
                        "--kill-on-invalid-dep=yes"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("--dependency=afterok:$select_job"), std::string::npos);
  EXPECT_EQ(dependency_options("42"),
            (std::vector<std::string>{"--dependency=afterok:42", "--kill-on-invalid-dep=yes"}));
}

TEST(PipelineSbatch, ShellQuoting) {
  EXPECT_EQ(shell_quote("--time=01:00:00"), "--time=01:00:00");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(PipelineProgram, CapturesOutputErrorsAndExitCode) {
  const auto result = run_program({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_TRUE(find_program("sh").has_value());
  EXPECT_FALSE(find_program("no-such-program-anywhere").has_value());
}

}  // namespace
}  // namespace quarry::pipeline

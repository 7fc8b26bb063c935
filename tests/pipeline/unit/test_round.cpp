// Rounds on disk: which round is current, when a stage counts as done, what a stage refuses to
// start from, the workspace lock and the inbox.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "files/manifest/manifest.hpp"
#include "pipeline/inbox.hpp"
#include "pipeline/round.hpp"
#include "pipeline/workspace_lock.hpp"
#include "select/select_batch.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pipeline {
namespace {

namespace fs = std::filesystem;

// A stage output with its complete manifest.
void finish(const fs::path& output) {
  std::ofstream(output) << "x";
  Manifest manifest("test");
  manifest.publish_for(output);
}

Workspace make_workspace(const testing::TempDir& dir) {
  fs::create_directories(dir / "ws" / "rounds");
  std::ofstream(dir / "ws" / "quarry.ini") << "k = 3\n";
  return Workspace::open(dir / "ws");
}

TEST(PipelineRound, NotAWorkspace) {
  testing::TempDir dir;
  EXPECT_THROW(Workspace::open(dir / "missing"), InputError);
  try {
    Workspace::open(dir.path());
    FAIL() << "opened a folder without quarry.ini";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("not a quarry workspace"), std::string::npos);
  }
}

TEST(PipelineRound, CurrentRoundResumesUnfinishedAndStartsAfterFinished) {
  testing::TempDir dir;
  const auto workspace = make_workspace(dir);
  EXPECT_EQ(current_round(workspace), 1);
  fs::create_directories(workspace.round_dir(1));
  EXPECT_EQ(current_round(workspace), 1);
  for (Stage stage : all_stages()) {
    EXPECT_FALSE(stage_done(workspace.round_dir(1), stage));
    finish(stage_output(workspace.round_dir(1), stage));
    EXPECT_TRUE(stage_done(workspace.round_dir(1), stage));
  }
  EXPECT_EQ(current_round(workspace), 1);  // the round manifest is not written yet
  write_round_manifest(workspace, 1);
  EXPECT_TRUE(round_complete(workspace.round_dir(1)));
  EXPECT_EQ(current_round(workspace), 2);
  EXPECT_EQ(workspace.round_numbers(), std::vector<int>{1});
}

TEST(PipelineRound, RoundManifestSummarisesStages) {
  testing::TempDir dir;
  const auto workspace = make_workspace(dir);
  fs::create_directories(workspace.round_dir(3));
  finish(stage_output(workspace.round_dir(3), Stage::ingest));
  const auto summary = summarise_round(workspace, 3);
  EXPECT_FALSE(summary["complete"].get<bool>());
  EXPECT_TRUE(summary["stages"]["ingest"]["done"].get<bool>());
  EXPECT_FALSE(summary["stages"]["score"]["done"].get<bool>());
  EXPECT_EQ(summary["stages"]["score"]["output"], "scores.h5");
  EXPECT_EQ(summary["settings"]["k"], "3");  // what the round ran with
  EXPECT_EQ(summary["settings"]["strategy"], select::strategy_name(select::kDefaultStrategy));
}

TEST(PipelineRound, StageRefusesAnIncompleteInput) {
  testing::TempDir dir;
  const auto scores = dir / "scores.h5";
  EXPECT_THROW(require_complete(scores, "score"), InputError);
  std::ofstream(scores) << "x";
  std::ofstream(manifest_path_for(scores)) << R"({"complete": false})";
  try {
    require_complete(scores, "score");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("not complete"), std::string::npos) << error.what();
  }
  finish(scores);
  EXPECT_NO_THROW(require_complete(scores, "score"));
}

TEST(PipelineRound, SecondLockIsRefusedNamingTheHolder) {
  testing::TempDir dir;
  EXPECT_FALSE(workspace_lock_holder(dir / ".quarry.lock").has_value());
  {
    WorkspaceLock first(dir / ".quarry.lock", "quarry cycle");
    const auto holder = workspace_lock_holder(dir / ".quarry.lock");
    ASSERT_TRUE(holder.has_value());
    EXPECT_EQ(holder->rfind("quarry cycle (pid ", 0), 0u) << *holder;
    try {
      WorkspaceLock second(dir / ".quarry.lock", "quarry cycle");
      FAIL() << "took a held lock";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find("is busy: quarry cycle (pid"), std::string::npos)
          << error.what();
    }
  }
  EXPECT_FALSE(workspace_lock_holder(dir / ".quarry.lock").has_value());
  EXPECT_NO_THROW(WorkspaceLock again(dir / ".quarry.lock", "quarry cycle"));
}

TEST(PipelineRound, InboxGroupsByExtension) {
  testing::TempDir dir;
  fs::create_directories(dir / "inbox");
  for (const char* name :
       {"b.json", "a.json", "c.CSV", "d.xml", "e.manifest", "f.coco.json", "coco.json", ".hidden"})
    std::ofstream(dir / "inbox" / name) << "x";
  const auto groups = inbox_files(dir / "inbox");
  ASSERT_EQ(groups.size(), 5u);
  const auto& json = groups.at(ingest::AnnotationFormat::label_studio);
  ASSERT_EQ(json.size(), 3u);  // coco.json names no format: Label Studio's extension
  EXPECT_EQ(json[0].filename(), "a.json");
  EXPECT_EQ(groups.at(ingest::AnnotationFormat::csv).size(), 1u);
  const auto& coco = groups.at(ingest::AnnotationFormat::coco);
  ASSERT_EQ(coco.size(), 1u);
  EXPECT_EQ(coco[0].filename(), "f.coco.json");
  std::ofstream(dir / "inbox" / "notes.txt") << "x";
  EXPECT_THROW(inbox_files(dir / "inbox"), InputError);
}

}  // namespace
}  // namespace quarry::pipeline

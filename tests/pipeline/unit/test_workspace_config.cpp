// quarry.ini: defaults, the file quarry init writes, and every way a bad key or value is refused
// by name.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "pipeline/ini_file.hpp"
#include "pipeline/workspace_config.hpp"
#include "select/select_batch.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pipeline {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const InputError& error) {
    return error.what();
  }
  return "no InputError";
}

TEST(PipelineConfig, RenderedFileReadsBackToTheSameValues) {
  WorkspaceConfig config;
  config.set("k", "42", "test", "k");
  config.set("slurm.score.gpus-per-task", "2", "test", "gpus");
  config.set("annotators", "ann, bob", "test", "annotators");
  testing::TempDir dir;
  write(dir / "quarry.ini", config.render());
  const auto read = read_workspace_config(dir / "quarry.ini");
  EXPECT_EQ(read.render(), config.render());
  EXPECT_EQ(read.integer("k"), 42);
  EXPECT_EQ(read.integer("slurm.score.gpus-per-task"), 2);
  EXPECT_EQ(read.list("annotators"), (std::vector<std::string>{"ann", "bob"}));
  EXPECT_EQ(read.text("strategy"), select::strategy_name(select::kDefaultStrategy));
}

TEST(PipelineConfig, UnknownKeyInAFileIsNamedWithItsLine) {
  testing::TempDir dir;
  write(dir / "quarry.ini", "k = 5\n\n[slurm.score]\nnodes = 2\ngpu = 1\n");
  const auto message = message_of([&] { read_workspace_config(dir / "quarry.ini"); });
  EXPECT_NE(message.find("line 5"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key 'slurm.score.gpu'"), std::string::npos) << message;
}

TEST(PipelineConfig, UnknownKeyFromTheCommandLineIsNamed) {
  WorkspaceConfig config;
  const auto message = message_of([&] { config.set_assignment("train.epoch=3"); });
  EXPECT_NE(message.find("unknown key 'train.epoch'"), std::string::npos) << message;
  EXPECT_THROW(config.set_assignment("no-equals-sign"), UsageError);
}

TEST(PipelineConfig, BadValuesNameTheirOrigin) {
  testing::TempDir dir;
  write(dir / "quarry.ini", "k = many\nmin-confidence = high\n");
  const auto config = read_workspace_config(dir / "quarry.ini");
  const auto k = message_of([&] { config.integer("k"); });
  EXPECT_NE(k.find("line 1"), std::string::npos) << k;
  EXPECT_NE(k.find("'many' is not a whole number"), std::string::npos) << k;
  EXPECT_NE(message_of([&] { config.real("min-confidence"); }).find("line 2"), std::string::npos);
}

TEST(PipelineIni, SectionsCommentsAndMalformedLines) {
  const auto entries = parse_ini("# comment\ntop = 1\n; other\n[a.b]\n key = x = y \n", "f.ini");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].key, "top");
  EXPECT_EQ(entries[1].key, "a.b.key");
  EXPECT_EQ(entries[1].value, "x = y");
  EXPECT_EQ(entries[1].line, 5);
  EXPECT_THROW(parse_ini("[open\n", "f.ini"), InputError);
  EXPECT_THROW(parse_ini("just words\n", "f.ini"), InputError);
}

}  // namespace
}  // namespace quarry::pipeline

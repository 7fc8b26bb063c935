#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress_bar.hpp"
#include "core/sha256.hpp"
#include "support/temp_dir.hpp"

namespace quarry {
namespace {

TEST(Errors, ExitCodesFollowTheType) {
  EXPECT_EQ(Error("x").exit_code(), kExitFailed);
  EXPECT_EQ(UsageError("x").exit_code(), kExitBadInput);
  EXPECT_EQ(InputError("f", "i", "p").exit_code(), kExitBadInput);
  EXPECT_EQ(Interrupted("x").exit_code(), kExitInterrupted);
}

TEST(Errors, InputErrorNamesFileItemAndProblem) {
  InputError error("pool.h5", "/ids", "id 3 appears twice", "make ids unique");
  EXPECT_STREQ(error.what(), "pool.h5: /ids: id 3 appears twice");
  EXPECT_EQ(describe(error), "pool.h5: /ids: id 3 appears twice\n  hint: make ids unique");
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AtomicOutput, PublishesOnlyOnCommit) {
  testing::TempDir dir;
  {
    AtomicOutput out(dir / "a.txt", Overwrite::refuse);
    write_text(out.temp_path(), "hello");
    EXPECT_FALSE(std::filesystem::exists(dir / "a.txt"));
    out.commit();
  }
  EXPECT_EQ(read_text(dir / "a.txt"), "hello");
  EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicOutput, AbandonedOutputLeavesNothing) {
  testing::TempDir dir;
  {
    AtomicOutput out(dir / "a.txt", Overwrite::refuse);
    write_text(out.temp_path(), "partial");
  }
  EXPECT_EQ(dir.entries(), 0u);
}

TEST(AtomicOutput, RefusesToOverwriteUnlessAsked) {
  testing::TempDir dir;
  write_text(dir / "a.txt", "precious");
  EXPECT_THROW(AtomicOutput(dir / "a.txt", Overwrite::refuse), UsageError);
  EXPECT_EQ(read_text(dir / "a.txt"), "precious");
  AtomicOutput out(dir / "a.txt", Overwrite::replace);
  write_text(out.temp_path(), "new");
  out.commit();
  EXPECT_EQ(read_text(dir / "a.txt"), "new");
}

TEST(AtomicOutput, ReplacesAFolderWhole) {
  testing::TempDir dir;
  std::filesystem::create_directory(dir / "export");
  write_text(dir / "export" / "old.txt", "old");
  AtomicOutput out(dir / "export", Overwrite::replace);
  std::filesystem::create_directory(out.temp_path());
  write_text(out.temp_path() / "new.txt", "new");
  out.commit();
  EXPECT_FALSE(std::filesystem::exists(dir / "export" / "old.txt"));
  EXPECT_EQ(read_text(dir / "export" / "new.txt"), "new");
  EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicOutput, MissingParentFolderIsAUsageError) {
  testing::TempDir dir;
  EXPECT_THROW(AtomicOutput(dir / "no" / "such" / "a.txt", Overwrite::refuse), UsageError);
}

TEST(ProgressBar, FormatsRateAndEta) {
  ProgressBar bar("score", 1000, "items", ProgressBar::Style::lines, stderr,
                  std::chrono::milliseconds(0));
  EXPECT_EQ(bar.format(250, 5.0, false), "score  25.0% 250/1000 items  50 items/s  ETA 0:15");
  EXPECT_EQ(bar.format(1000, 20.0, true), "score 100.0% 1000/1000 items  50 items/s  in 0:20");
}

TEST(ProgressBar, BarStyleDrawsProportionalBar) {
  ProgressBar bar("x", 100, "items", ProgressBar::Style::bar, stderr, std::chrono::milliseconds(0));
  EXPECT_NE(bar.format(50, 1.0, false).find("|############            |"), std::string::npos);
}

TEST(ProgressBar, LinesStyleWritesWholeLines) {
  testing::TempDir dir;
  std::FILE* out = std::fopen((dir / "log").c_str(), "w");
  {
    ProgressBar bar("read", 10, "items", ProgressBar::Style::lines, out,
                    std::chrono::milliseconds(0));
    bar.update(5);
    bar.finish(10);
  }
  std::fclose(out);
  std::string log = read_text(dir / "log");
  EXPECT_EQ(log.find('\r'), std::string::npos);
  EXPECT_NE(log.find("read  50.0% 5/10"), std::string::npos);
  EXPECT_NE(log.find("read 100.0% 10/10"), std::string::npos);
}

TEST(Duration, FormatsMinutesAndHours) {
  EXPECT_EQ(format_duration(65), "1:05");
  EXPECT_EQ(format_duration(3725), "1:02:05");
}

TEST(Interrupt, SignalInsideACheckpointedSectionSetsTheFlag) {
  install_interrupt_handlers();
  clear_interrupt();
  const CheckpointedSection checkpointed;
  EXPECT_FALSE(interrupt_requested());
  std::raise(SIGUSR1);
  EXPECT_TRUE(interrupt_requested());
  clear_interrupt();
  std::raise(SIGTERM);
  EXPECT_TRUE(interrupt_requested());
  clear_interrupt();
}

TEST(Interrupt, SignalOutsideACheckpointedSectionEndsTheProcessWith99) {
  install_interrupt_handlers();
  clear_interrupt();
  { const CheckpointedSection left; }
  EXPECT_EXIT(std::raise(SIGTERM), ::testing::ExitedWithCode(99), "stopped at once by a signal");
  EXPECT_EXIT(std::raise(SIGUSR1), ::testing::ExitedWithCode(99), "stopped at once by a signal");
}

TEST(Interrupt, SecondSignalEndsTheProcessInsideASection) {
  install_interrupt_handlers();
  clear_interrupt();
  EXPECT_EXIT(
      {
        const CheckpointedSection checkpointed;
        std::raise(SIGTERM);
        if (interrupt_requested()) std::raise(SIGTERM);
      },
      ::testing::ExitedWithCode(99), "stopped at once by a signal");
}

TEST(Sha256, MatchesKnownDigest) {
  testing::TempDir dir;
  write_text(dir / "abc", "abc");
  EXPECT_EQ(sha256_file(dir / "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_THROW(sha256_file(dir / "missing"), InputError);
}

}  // namespace
}  // namespace quarry

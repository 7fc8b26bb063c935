#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "core/symlinks.hpp"
#include "core/text.hpp"
#include "support/temp_dir.hpp"

namespace quarry {
namespace {

namespace fs = std::filesystem;

TEST(ParseDouble, TheWholeTextMustBeOneNumber) {
  EXPECT_EQ(parse_double("0.95"), 0.95);
  EXPECT_EQ(parse_double("25"), 25.0);
  EXPECT_EQ(parse_double("1e-3"), 1e-3);
  EXPECT_EQ(parse_double("-0.5"), -0.5);
  for (const char* bad : {"", "0.9x", "x", " 1", "1 ", "0,5", "."})
    EXPECT_FALSE(parse_double(bad).has_value()) << "'" << bad << "'";
}

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
}

TEST(Utf8, RefusesMalformedSequences) {
  EXPECT_FALSE(is_valid_utf8("ann\xFF"));           // a byte that never starts a sequence
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, three bytes
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Utf8, EscapesBadBytesAndControlCharacters) {
  EXPECT_EQ(escape_for_display("ann\xFF"), "ann\\xFF");
  EXPECT_EQ(escape_for_display(std::string("a\0x", 3)), "a\\x00x");
  EXPECT_EQ(escape_for_display("caf\xC3\xA9\n"), "caf\xC3\xA9\\x0A");
  EXPECT_TRUE(is_valid_utf8(escape_for_display("\xC3\x28\xF4\x90\x80\x80")));
}

TEST(Utf8, NameProblems) {
  EXPECT_EQ(name_problem("alice", "annotator name"), "");
  EXPECT_EQ(name_problem("", "annotator name"), "the annotator name is empty");
  EXPECT_EQ(name_problem("a\tb", "annotator name"),
            "the annotator name 'a\\x09b' holds a control character");
  EXPECT_EQ(name_problem("b\xFF", "annotator name"),
            "the annotator name 'b\\xFF' is not valid UTF-8");
}

TEST(Symlinks, PlainPathsComeBackUnchanged) {
  testing::TempDir dir;
  EXPECT_EQ(resolve_symlinks(dir.path() / "missing.h5"), dir.path() / "missing.h5");
  EXPECT_EQ(resolve_symlinks("relative.h5"), fs::path("relative.h5"));
}

TEST(Symlinks, FollowsChainsAndDanglingLinks) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "shared");
  fs::create_directories(dir.path() / "w");
  fs::create_symlink("../shared/labels.h5", dir.path() / "w" / "hop.h5");
  fs::create_symlink("hop.h5", dir.path() / "w" / "labels.h5");
  const fs::path real = fs::canonical(dir.path()) / "shared" / "labels.h5";
  EXPECT_EQ(resolve_symlinks(dir.path() / "w" / "labels.h5"), real);  // dangling: no file yet
  std::ofstream(real) << "x";
  EXPECT_EQ(resolve_symlinks(dir.path() / "w" / "labels.h5"), real);
}

TEST(Symlinks, ALoopIsBadInput) {
  testing::TempDir dir;
  fs::create_symlink("b", dir.path() / "a");
  fs::create_symlink("a", dir.path() / "b");
  EXPECT_THROW(resolve_symlinks(dir.path() / "a"), InputError);
}

TEST(AtomicOutput, PublishesThroughASymlinkAndKeepsIt) {
  testing::TempDir dir;
  const fs::path real = dir.path() / "real.txt", link = dir.path() / "link.txt";
  std::ofstream(real) << "old";
  fs::create_symlink("real.txt", link);
  AtomicOutput out(link, Overwrite::replace);
  std::ofstream(out.temp_path()) << "new";
  out.commit();
  EXPECT_TRUE(fs::is_symlink(link));
  std::string text;
  std::ifstream(real) >> text;
  EXPECT_EQ(text, "new");
}

TEST(AtomicOutput, RecognisesItsOwnTemporaries) {
  EXPECT_EQ(temporary_target("/d/.labels.h5.tmp-123"), fs::path("/d/labels.h5"));
  EXPECT_EQ(temporary_target("/d/.export.tmp-9.old"), fs::path("/d/export"));
  EXPECT_EQ(temporary_target("/d/labels.h5"), std::nullopt);
  EXPECT_EQ(temporary_target("/d/.labels.h5.tmp-12a"), std::nullopt);
  EXPECT_EQ(temporary_target("/d/.tmp-12"), std::nullopt);
}

}  // namespace
}  // namespace quarry

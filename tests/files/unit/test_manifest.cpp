// Manifests record the inputs as the stage started to read them, and a stage whose input changed
// meanwhile is refused before it publishes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "files/manifest/manifest.hpp"
#include "support/temp_dir.hpp"

namespace quarry {
namespace {

namespace fs = std::filesystem;
using Hashing = Manifest::Hashing;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

nlohmann::json published(Manifest& manifest, const fs::path& output) {
  write_text(output, "output");
  manifest.publish_for(output);
  std::ifstream in(manifest_path_for(output));
  return nlohmann::json::parse(in);
}

// verify_inputs' error for `manifest`, or "" when it passes.
std::string verify_error(Manifest& manifest) {
  try {
    manifest.verify_inputs();
  } catch (const InputError& error) {
    EXPECT_EQ(error.exit_code(), kExitBadInput);
    return error.what();
  }
  return {};
}

TEST(Manifest, RecordsTheInputsDigestsAndTimings) {
  testing::TempDir dir;
  write_text(dir / "pool.h5", std::string(3 << 20, 'p'));  // more than one read of the hasher
  write_text(dir / "model.pt", "model");
  Manifest manifest("test");
  manifest.add_input("pool", dir / "pool.h5", Hashing::beside_the_work);
  manifest.add_input("model", dir / "model.pt");
  EXPECT_EQ(manifest.input_sha256("model"), sha256_file(dir / "model.pt"));
  EXPECT_EQ(verify_error(manifest), "");
  const auto doc = published(manifest, dir / "out");
  EXPECT_EQ(doc["inputs"]["pool"]["sha256"], sha256_file(dir / "pool.h5"));
  EXPECT_EQ(doc["inputs"]["pool"]["bytes"], 3 << 20);
  EXPECT_EQ(doc["inputs"]["model"]["sha256"], sha256_file(dir / "model.pt"));
  EXPECT_TRUE(doc["timings_s"].contains("hashing_inputs"));
  EXPECT_TRUE(doc["timings_s"].contains("verifying_inputs"));
}

// The digest is read from the descriptor opened by add_input: a file renamed over the input
// afterwards is not what the manifest describes, and verify_inputs refuses the run.
TEST(Manifest, DigestIsOfTheFileAsItWasAtTheStart) {
  testing::TempDir dir;
  write_text(dir / "pool.h5", "the pool as the stage started");
  const std::string at_start = sha256_file(dir / "pool.h5");
  Manifest manifest("test");
  manifest.add_input("pool", dir / "pool.h5", Hashing::beside_the_work);
  write_text(dir / "new", "another pool");
  fs::rename(dir / "new", dir / "pool.h5");
  EXPECT_EQ(manifest.input_sha256("pool"), at_start);
  const std::string error = verify_error(manifest);
  EXPECT_NE(error.find((dir / "pool.h5").string() +
                       " changed while quarry test was reading it: another file replaced it"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("; rerun"), std::string::npos) << error;
}

TEST(Manifest, AnAppendedFileChangedSize) {
  testing::TempDir dir;
  write_text(dir / "pool.h5", "12345");
  Manifest manifest("score");
  manifest.add_input("pool", dir / "pool.h5", Hashing::beside_the_work);
  std::ofstream(dir / "pool.h5", std::ios::app) << "6";
  EXPECT_NE(verify_error(manifest).find("changed while quarry score was reading it: its size went "
                                        "from 5 to 6 bytes; rerun"),
            std::string::npos);
}

// A rewrite in place that keeps the size and puts the mtime back: the ctime moved, or, within
// the same clock tick, the file counts as recently changed and is read again.
TEST(Manifest, ARewriteThatRestoresTheMtimeIsSeen) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  write_text(path, "aaaa");
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  Manifest manifest("train");
  manifest.add_input("labels", path);
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(1);
    file.put('b');
  }
  const timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  EXPECT_NE(verify_error(manifest).find("changed while quarry train was reading it"),
            std::string::npos);
}

TEST(Manifest, UnchangedInputsPassAndRemovedOnesFail) {
  testing::TempDir dir;
  write_text(dir / "a", "a");
  write_text(dir / "b", "b");
  Manifest manifest("select");
  manifest.add_input("a", dir / "a");
  manifest.add_input("b", dir / "b", Hashing::beside_the_work);
  EXPECT_EQ(verify_error(manifest), "");
  EXPECT_EQ(verify_error(manifest), "");  // as often as asked
  fs::remove(dir / "b");
  EXPECT_NE(verify_error(manifest).find("it was removed"), std::string::npos);
}

// A file that cannot be opened is left to the stage's reader; if the stage gets as far as
// publishing, the file appeared during the run.
TEST(Manifest, AnInputMissingAtTheStartIsRefusedBeforePublishing) {
  testing::TempDir dir;
  Manifest manifest("score");
  manifest.add_input("model", dir / "model.pt");
  write_text(dir / "model.pt", "model");
  EXPECT_NE(verify_error(manifest).find("it could not be read when the run started"),
            std::string::npos);
  EXPECT_THROW(manifest.input_sha256("model"), InputError);
  EXPECT_THROW(manifest.publish_for(dir / "out"), InputError);
  EXPECT_FALSE(fs::exists(manifest_path_for(dir / "out")));
}

// The stages keep their manifest in a struct returned by value: the hashing moves with it.
TEST(Manifest, AMovedManifestKeepsItsHashing) {
  testing::TempDir dir;
  write_text(dir / "pool.h5", std::string(8 << 20, 'x'));
  Manifest manifest("score");
  manifest.add_input("pool", dir / "pool.h5", Hashing::beside_the_work);
  Manifest moved = std::move(manifest);
  EXPECT_EQ(moved.input_sha256("pool"), sha256_file(dir / "pool.h5"));
}

// A stage that fails while a large input is being hashed stops the hashing (and waits for the
// thread) when its manifest goes.
TEST(Manifest, DestroyedWhileHashing) {
  testing::TempDir dir;
  write_text(dir / "pool.h5", std::string(8 << 20, 'x'));
  for (int i = 0; i < 4; ++i) {
    Manifest manifest("score");
    manifest.add_input("pool", dir / "pool.h5", Hashing::beside_the_work);
  }
  SUCCEED();
}

}  // namespace
}  // namespace quarry

// The label ledger: an absent file reads as empty, appends keep ids sorted, changed labels keep
// their history, re-ingesting a recorded file is a no-op that leaves the bytes alone, and a
// file that is not a ledger is bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "files/ledger/ledger.hpp"
#include "support/temp_dir.hpp"

namespace quarry::ingest {
namespace {

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

LedgerUpdate update_from(const std::string& file, const std::string& sha,
                         std::vector<ConsensusLabel> labels,
                         std::vector<std::uint64_t> unresolved = {}) {
  LedgerUpdate update;
  update.classes = {"cat", "dog", "owl"};
  update.labels = std::move(labels);
  update.unresolved = std::move(unresolved);
  update.file_names = {file};
  update.file_sha256 = {sha};
  for (const auto& label : update.labels)
    update.answers.push_back({label.id, "ann-" + std::to_string(label.id % 3), label.label});
  return update;
}

TEST(Ledger, AbsentFileIsEmpty) {
  testing::TempDir dir;
  auto ledger = read_ledger(dir / "labels.h5");
  EXPECT_EQ(ledger.size(), 0u);
  EXPECT_EQ(ledger.rounds, 0);
  EXPECT_TRUE(ledger.adjudicate.empty());
}

TEST(Ledger, AppendsSortedAndKeepsHistoryOfChangedLabels) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  auto first = append_to_ledger(
      path, update_from("a.json", "aaaa", {{30, 2, 0.9f, 3, "a.json"}, {10, 0, 0.8f, 3, "a.json"}},
                        {20, 40}));
  EXPECT_TRUE(first.written);
  EXPECT_EQ(first.added, 2u);
  EXPECT_EQ(first.round, 1);

  auto second = append_to_ledger(path, update_from("b.json", "bbbb",
                                                   {{20, 1, 0.95f, 5, "b.json"},
                                                    {30, 0, 0.85f, 4, "b.json"},
                                                    {10, 0, 0.99f, 4, "b.json"}}));
  EXPECT_EQ(second.round, 2);
  EXPECT_EQ(second.added, 1u);
  EXPECT_EQ(second.changed, 1u);
  EXPECT_EQ(second.confirmed, 1u);

  auto ledger = read_ledger(path);
  EXPECT_EQ(ledger.classes, (std::vector<std::string>{"cat", "dog", "owl"}));
  EXPECT_EQ(ledger.rounds, 2);
  EXPECT_EQ(ledger.ids, (std::vector<std::uint64_t>{10, 20, 30}));
  EXPECT_EQ(ledger.labels, (std::vector<std::int32_t>{0, 1, 0}));
  EXPECT_EQ(ledger.votes, (std::vector<std::int32_t>{4, 5, 4}));
  EXPECT_EQ(ledger.round, (std::vector<std::int32_t>{2, 2, 2}));
  EXPECT_EQ(ledger.source, (std::vector<std::string>{"b.json", "b.json", "b.json"}));
  EXPECT_FLOAT_EQ(ledger.confidence[1], 0.95f);
  // Item 30 went from owl (round 1, a.json) to cat: the old label is in the history.
  ASSERT_EQ(ledger.history.ids, (std::vector<std::uint64_t>{30}));
  EXPECT_EQ(ledger.history.labels[0], 2);
  EXPECT_EQ(ledger.history.round[0], 1);
  EXPECT_EQ(ledger.history.source[0], "a.json");
  EXPECT_EQ(ledger.history.replaced_in_round[0], 2);
  EXPECT_FLOAT_EQ(ledger.history.confidence[0], 0.9f);
  // 20 got a label, 40 is still unresolved.
  EXPECT_EQ(ledger.adjudicate, (std::vector<std::uint64_t>{40}));
  EXPECT_EQ(ledger.files.name, (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(ledger.files.sha256, (std::vector<std::string>{"aaaa", "bbbb"}));
  EXPECT_EQ(ledger.files.round, (std::vector<std::int32_t>{1, 2}));
  // Every answer given is stored, item 10's from ann-1 in both rounds too: leaving out the
  // answers a cumulative export repeats is ingest's business (build_votes), not the ledger's.
  EXPECT_EQ(ledger.annotations.ids, (std::vector<std::uint64_t>{30, 10, 20, 30, 10}));
  EXPECT_EQ(ledger.annotations.round, (std::vector<std::int32_t>{1, 1, 2, 2, 2}));
  EXPECT_EQ(ledger.annotations.annotators, (std::vector<std::string>{"ann-0", "ann-1", "ann-2"}));
  EXPECT_TRUE(ledger.find(20).has_value());
  EXPECT_FALSE(ledger.find(40).has_value());
}

TEST(Ledger, ReingestingARecordedFileLeavesTheBytesAlone) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  append_to_ledger(path, update_from("a.json", "aaaa", {{1, 1, 0.9f, 3, "a.json"}}));
  const auto before = file_bytes(path);
  auto again = append_to_ledger(path, update_from("a.json", "aaaa", {{1, 2, 0.9f, 3, "a.json"}}));
  EXPECT_FALSE(again.written);
  EXPECT_EQ(file_bytes(path), before);
  EXPECT_EQ(read_ledger(path).labels, (std::vector<std::int32_t>{1}));
}

TEST(Ledger, OtherClassesAreBadInputAndChangeNothing) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  append_to_ledger(path, update_from("a.json", "aaaa", {{1, 1, 0.9f, 3, "a.json"}}));
  const auto before = file_bytes(path);
  auto update = update_from("b.json", "bbbb", {{2, 0, 0.9f, 3, "b.json"}});
  update.classes = {"x", "y"};
  EXPECT_THROW(append_to_ledger(path, update), InputError);
  EXPECT_EQ(file_bytes(path), before);
  EXPECT_EQ(dir.entries(), 1u);  // no temporary left behind
}

TEST(Ledger, AFileThatIsNotALedgerIsBadInput) {
  testing::TempDir dir;
  std::ofstream(dir / "labels.h5") << "not hdf5";
  EXPECT_THROW(read_ledger(dir / "labels.h5"), InputError);
}

}  // namespace
}  // namespace quarry::ingest

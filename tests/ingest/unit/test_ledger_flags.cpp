// Flagged labels in the ledger (issue 20, catching wrong labels): a flag joins /flags as
// pending and the item the adjudication list; a second flag of an item still waiting adds
// nothing; the ingest that labels the item again settles the flag as confirmed or corrected
// (the old label kept in the history); flags survive the file round trip, and a ledger with a
// half-settled flag is bad input.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "files/ledger/ledger.hpp"
#include "h5/file.hpp"
#include "ingest/flag_labels.hpp"
#include "support/temp_dir.hpp"

namespace quarry::ingest {
namespace {

LedgerUpdate labels_update(const std::string& file, std::vector<ConsensusLabel> labels) {
  LedgerUpdate update;
  update.classes = {"cat", "dog", "owl"};
  update.labels = std::move(labels);
  update.file_names = {file};
  update.file_sha256 = {file + "-sha"};
  for (const auto& label : update.labels) update.answers.push_back({label.id, "ann", label.label});
  return update;
}

TEST(LedgerFlags, AFlagWaitsOnTheAdjudicationListUntilAnswersSettleIt) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  append_to_ledger(path, labels_update("a.json", {{10, 0, 0.9f, 3, "a.json"},
                                                  {20, 1, 0.9f, 3, "a.json"},
                                                  {30, 2, 0.9f, 3, "a.json"}}));
  const std::vector<LabelFlag> raised{{10, 0, 2, 0.97f}, {30, 2, 1, 0.99f}};
  const auto first = flag_labels(path, raised, 2, dir / "flags.csv");
  EXPECT_EQ(first.added, 2u);
  EXPECT_EQ(first.pending, 2u);
  auto ledger = read_ledger(path);
  EXPECT_EQ(ledger.adjudicate, (std::vector<std::uint64_t>{10, 30}));
  ASSERT_EQ(ledger.flags.ids, (std::vector<std::uint64_t>{10, 30}));
  EXPECT_EQ(ledger.flags.suggested, (std::vector<std::int32_t>{2, 1}));
  EXPECT_EQ(ledger.flags.round, (std::vector<std::int32_t>{2, 2}));
  EXPECT_FLOAT_EQ(ledger.flags.probability[1], 0.99f);

  // The same audit again (a stage rerun after a stop): nothing new, the ledger untouched.
  EXPECT_EQ(flag_labels(path, raised, 2, dir / "flags.csv").added, 0u);
  EXPECT_EQ(read_ledger(path).flags.size(), 2u);

  // The answers: 10 is corrected to owl, 30 confirmed as owl; 20 was not flagged.
  const auto settled = append_to_ledger(
      path, labels_update("b.json", {{10, 2, 0.95f, 6, "b.json"}, {30, 2, 0.9f, 6, "b.json"}}));
  EXPECT_EQ(settled.flags_corrected, 1u);
  EXPECT_EQ(settled.flags_confirmed, 1u);
  ledger = read_ledger(path);
  EXPECT_TRUE(ledger.adjudicate.empty());
  EXPECT_EQ(ledger.flags.pending_count(), 0u);
  EXPECT_EQ(ledger.flags.resolved_label, (std::vector<std::int32_t>{2, 2}));
  EXPECT_EQ(ledger.flags.resolved_round, (std::vector<std::int32_t>{ledger.rounds, ledger.rounds}));
  EXPECT_EQ(ledger.labels, (std::vector<std::int32_t>{2, 1, 2}));
  ASSERT_EQ(ledger.history.ids, (std::vector<std::uint64_t>{10}));  // the wrong label, kept
  EXPECT_EQ(ledger.history.labels[0], 0);

  // Settled: a later audit may flag the item again.
  EXPECT_EQ(flag_labels(path, {{10, 2, 0, 0.96f}}, 4, dir / "flags.csv").added, 1u);
  EXPECT_EQ(read_ledger(path).flags.pending_count(), 1u);
}

TEST(LedgerFlags, AnUnansweredFlagStaysPendingAndLabelsOfOtherItemsDoNotSettleIt) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  append_to_ledger(path, labels_update("a.json", {{10, 0, 0.9f, 3, "a.json"}}));
  flag_labels(path, {{10, 0, 1, 0.97f}}, 2, dir / "flags.csv");
  const auto other = append_to_ledger(path, labels_update("b.json", {{11, 1, 0.9f, 3, "b.json"}}));
  EXPECT_EQ(other.flags_confirmed + other.flags_corrected, 0u);
  const auto ledger = read_ledger(path);
  EXPECT_EQ(ledger.flags.pending_count(), 1u);
  EXPECT_EQ(ledger.adjudicate, (std::vector<std::uint64_t>{10}));
}

TEST(LedgerFlags, AHalfSettledFlagIsBadInput) {
  testing::TempDir dir;
  const auto path = dir / "labels.h5";
  Ledger ledger;
  ledger.classes = {"cat", "dog"};
  add_flags(ledger.flags, {{10, 0, 1, 0.97f}}, 1);
  ledger.flags.resolved_round[0] = 3;  // a round without the label it gave
  write_ledger(path, ledger);
  try {
    read_ledger(path);
    FAIL() << "read a ledger whose flag is half settled";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("/flags row 0 (id 10)"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace quarry::ingest

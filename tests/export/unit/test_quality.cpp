// Quality control from the label ledger: items the last ingest could not resolve go first, and
// gold items (labels known) are mixed in unmarked, listed only in <out>.gold.csv for ingest.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "export/export_run.hpp"
#include "files/ledger/ledger.hpp"
#include "files/manifest/manifest.hpp"
#include "support/fixture.hpp"
#include "support/parse_back.hpp"
#include "support/temp_dir.hpp"

namespace quarry::exporting {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class QualityExport : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::FixtureSpec spec;
    spec.items = 300;
    spec.k = 24;  // selected ids: 1000 + 12 s, all even
    fixture = testing::make_export_fixture(dir.path(), spec);
    ledger.classes = fixture.classes;
    ledger.rounds = 1;
    for (std::uint64_t id = 1001; id < 1100; id += 2) {  // odd: never selected
      ledger.ids.push_back(id);
      ledger.labels.push_back(static_cast<std::int32_t>(id % 3));
      ledger.confidence.push_back(0.9f);
      ledger.votes.push_back(3);
      ledger.round.push_back(1);
      ledger.source.push_back("round1.json");
    }
    ledger.adjudicate = {1012, 1101};  // one selected, one not
    ingest::write_ledger(dir / "labels.h5", ledger);

    request.inputs.selection = fixture.selection;
    request.inputs.pool = fixture.pool;
    request.inputs.scores = fixture.scores;
    request.inputs.labels = dir / "labels.h5";
    request.inputs.gold_rate = 0.25;
    request.inputs.annotators = {"ann", "bob", "cy"};
    request.inputs.annotators_per_item = 2;
    request.formats = all_formats();
    request.out = dir / "export";
  }

  std::vector<std::uint64_t> task_ids() const {
    std::vector<std::uint64_t> ids;
    for (const json& task :
         json::parse(testing::read_text(request.out / "label-studio/tasks.json")))
      ids.push_back(task["data"]["quarry_id"].get<std::uint64_t>());
    return ids;
  }

  testing::TempDir dir;
  testing::ExportFixture fixture;
  ingest::Ledger ledger;
  ExportRequest request;
};

TEST_F(QualityExport, AdjudicationFirstThenPicksWithGoldMixedIn) {
  const ExportSummary summary = run_export(request);
  EXPECT_EQ(summary.adjudication, 2u);
  EXPECT_EQ(summary.gold, 6u);  // 0.25 x 24 selected
  EXPECT_EQ(summary.selected, 23u);
  const auto ids = task_ids();
  ASSERT_EQ(ids.size(), 31u);
  EXPECT_EQ(ids[0], 1012u);
  EXPECT_EQ(ids[1], 1101u);

  // Gold: labeled in the ledger, never selected, listed beside the folder with their labels.
  const auto gold_rows = testing::parse_csv(testing::read_text(gold_file_for(request.out)));
  ASSERT_EQ(gold_rows.size(), 7u);
  EXPECT_EQ(gold_rows[0], (std::vector<std::string>{"id", "label"}));
  std::set<std::uint64_t> gold;
  for (std::size_t r = 1; r < gold_rows.size(); ++r) {
    const std::uint64_t id = std::stoull(gold_rows[r][0]);
    EXPECT_EQ(id % 2, 1u) << id;
    EXPECT_LT(id, 1100u);
    EXPECT_EQ(gold_rows[r][1], fixture.classes[id % 3]);
    gold.insert(id);
  }
  EXPECT_EQ(gold.size(), 6u);

  // The rest keeps pick order; the gold items sit among the picks, not bunched at one end.
  std::vector<std::uint64_t> picks;
  std::vector<std::size_t> gold_positions;
  for (std::size_t i = 2; i < ids.size(); ++i) {
    if (gold.contains(ids[i]))
      gold_positions.push_back(i);
    else
      picks.push_back(ids[i]);
  }
  std::vector<std::uint64_t> expected;
  for (const std::uint64_t id : fixture.selected)
    if (id != 1012) expected.push_back(id);
  EXPECT_EQ(picks, expected);
  ASSERT_EQ(gold_positions.size(), 6u);
  EXPECT_LT(gold_positions.front(), 20u);
  EXPECT_GT(gold_positions.back(), 12u);

  const json manifest = read_complete_manifest(request.out);
  EXPECT_EQ(manifest["settings"]["gold_ids"].size(), 6u);
  EXPECT_EQ(manifest["settings"]["adjudication_ids"], json::array({1012, 1101}));
}

TEST_F(QualityExport, GoldItemsLookLikeAnyOtherTask) {
  run_export(request);
  const auto rows = testing::parse_csv(testing::read_text(request.out / "csv/items.csv"));
  for (std::size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), 6u);
    EXPECT_NE(rows[r][4], "nan") << "an unscored row gives item " << rows[r][0] << " away";
    EXPECT_FALSE(rows[r][5].empty()) << "item " << rows[r][0] << " has no annotators";
  }
  const json tasks = json::parse(testing::read_text(request.out / "label-studio/tasks.json"));
  std::set<std::string> shapes;
  for (const json& task : tasks) {
    std::string keys;
    for (const auto& [key, value] : task.items()) keys += key + ",";
    for (const auto& [key, value] : task["data"].items()) keys += key + ",";
    shapes.insert(keys);
  }
  EXPECT_EQ(shapes.size(), 1u) << "tasks differ in shape";
}

TEST_F(QualityExport, RefusesAMismatchedLedgerOrGoldWithoutOne) {
  ledger.classes = {"x", "y", "z"};
  ingest::write_ledger(dir / "other-labels.h5", ledger);
  request.inputs.labels = dir / "other-labels.h5";
  try {
    run_export(request);
    FAIL() << "a ledger of other classes was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("other-labels.h5: attribute classes"),
              std::string::npos);
  }
  ledger.classes = fixture.classes;
  ledger.adjudicate = {99999};
  ingest::write_ledger(dir / "foreign-labels.h5", ledger);
  request.inputs.labels = dir / "foreign-labels.h5";
  EXPECT_THROW(run_export(request), InputError);
  request.inputs.labels.clear();
  EXPECT_THROW(run_export(request), UsageError);
  EXPECT_FALSE(fs::exists(request.out));
  EXPECT_FALSE(fs::exists(gold_file_for(request.out)));
}

}  // namespace
}  // namespace quarry::exporting

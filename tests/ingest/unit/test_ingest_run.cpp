// run_ingest end to end on a real pool and ledger: adjudication and its resolution on all
// answers, history when a label changes, re-ingesting a file, gold items, --skip-bad.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "files/ledger/ledger_lock.hpp"
#include "files/manifest/manifest.hpp"
#include "ingest/ingest_run.hpp"
#include "ingest/rejects_file.hpp"
#include "pool/synth.hpp"
#include "support/temp_dir.hpp"

namespace quarry::ingest {
namespace {

class IngestRun : public ::testing::Test {
 protected:
  void SetUp() override {
    pool::SynthSpec spec;
    spec.count = 50;
    spec.shape = pool::parse_image_shape("1x4x4");
    spec.classes = 3;
    spec.first_id = 100;  // ids 100..149
    pool::write_synth_pool(spec, dir_ / "pool.h5", Overwrite::refuse);
  }

  std::filesystem::path csv(const std::string& name, const std::string& rows) {
    std::ofstream(dir_ / name) << "id,annotator,label\n" << rows;
    return dir_ / name;
  }

  IngestRequest request(std::vector<std::filesystem::path> files) {
    IngestRequest r;
    r.annotations = std::move(files);
    r.format = AnnotationFormat::csv;
    r.pool = dir_ / "pool.h5";
    r.ledger = dir_ / "labels.h5";
    r.consensus = ConsensusMethod::majority;
    return r;
  }

  std::string ledger_bytes() {
    std::ifstream in(dir_ / "labels.h5", std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  testing::TempDir dir_;
};

TEST_F(IngestRun, AdjudicationThenResolutionOnAllAnswers) {
  // 100: unanimous; 101: 2 of 3 (0.67 < 0.7: adjudicate); 102: three different answers.
  auto first = csv("r1.csv",
                   "100,a,class0\n100,b,class0\n100,c,class0\n"
                   "101,a,class1\n101,b,class1\n101,c,class2\n"
                   "102,a,0\n102,b,1\n102,c,2\n");
  auto report = run_ingest(request({first}));
  EXPECT_EQ(report.resolved, 1u);
  EXPECT_EQ(report.unresolved, 2u);
  auto ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.ids, (std::vector<std::uint64_t>{100}));
  EXPECT_EQ(ledger.adjudicate, (std::vector<std::uint64_t>{101, 102}));
  EXPECT_EQ(ledger.source[0], "r1.csv");

  // The adjudicator answers 101: with the earlier three answers it is 3 of 4 (0.75).
  auto second = csv("r2.csv", "101,judge,class1\n");
  report = run_ingest(request({second}));
  EXPECT_EQ(report.earlier_answers, 3u);
  EXPECT_EQ(report.ledger.round, 2);
  ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.ids, (std::vector<std::uint64_t>{100, 101}));
  EXPECT_EQ(ledger.labels[1], 1);
  EXPECT_EQ(ledger.votes[1], 4);
  EXPECT_FLOAT_EQ(ledger.confidence[1], 0.75f);
  EXPECT_EQ(ledger.adjudicate, (std::vector<std::uint64_t>{102}));

  // The manifest beside the ledger carries agreement and per-annotator reliability.
  const auto manifest = read_complete_manifest(dir_ / "labels.h5");
  ASSERT_FALSE(manifest.empty());
  EXPECT_EQ(manifest["settings"]["round"], 2);
  EXPECT_TRUE(manifest["settings"]["agreement"]["annotators"].contains("judge"));
}

TEST_F(IngestRun, AChangedLabelKeepsItsHistory) {
  run_ingest(request({csv("r1.csv", "120,a,class0\n120,b,class0\n")}));
  // Later, three others say class2 for the item: 3 of 5 is below 0.7, so nothing changes yet...
  auto report = run_ingest(request({csv("r2.csv", "120,c,class2\n120,d,class2\n120,e,class2\n")}));
  EXPECT_EQ(report.unresolved, 1u);
  auto ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.labels, (std::vector<std::int32_t>{0}));
  EXPECT_EQ(ledger.adjudicate, (std::vector<std::uint64_t>{120}));
  // ...until a fourth makes it 4 of 6 with a lower threshold: the old label goes to history.
  auto r = request({csv("r3.csv", "120,f,class2\n")});
  r.min_confidence = 0.6;
  report = run_ingest(r);
  EXPECT_EQ(report.ledger.changed, 1u);
  ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.labels, (std::vector<std::int32_t>{2}));
  EXPECT_EQ(ledger.round, (std::vector<std::int32_t>{3}));
  EXPECT_EQ(ledger.history.ids, (std::vector<std::uint64_t>{120}));
  EXPECT_EQ(ledger.history.labels, (std::vector<std::int32_t>{0}));
  EXPECT_EQ(ledger.history.round, (std::vector<std::int32_t>{1}));
  EXPECT_EQ(ledger.history.replaced_in_round, (std::vector<std::int32_t>{3}));
  EXPECT_TRUE(ledger.adjudicate.empty());
}

TEST_F(IngestRun, ReingestingAFileIsANoOp) {
  auto file = csv("r1.csv", "100,a,class0\n100,b,class0\n");
  run_ingest(request({file}));
  const auto before = ledger_bytes();
  auto report = run_ingest(request({file}));
  EXPECT_EQ(report.files_read, 0u);
  EXPECT_EQ(report.already_ingested.size(), 1u);
  EXPECT_FALSE(report.ledger.written);
  EXPECT_EQ(ledger_bytes(), before);
  // A copy under another name has the same sha256: still a no-op.
  std::filesystem::copy_file(file, dir_ / "copy.csv");
  run_ingest(request({dir_ / "copy.csv"}));
  EXPECT_EQ(ledger_bytes(), before);
}

// Label Studio exports the whole project every time: the next round's file repeats the
// answers already ingested. They are not counted twice, nor stored twice.
TEST_F(IngestRun, ACumulativeExportAddsOnlyItsNewAnswers) {
  run_ingest(request({csv("r1.csv", "100,a,class0\n100,b,class0\n")}));
  auto report = run_ingest(
      request({csv("r2.csv", "100,a,class0\n100,b,class0\n101,a,class1\n101,b,class1\n")}));
  EXPECT_EQ(report.ledger.added, 1u);
  EXPECT_EQ(report.ledger.confirmed, 1u);
  EXPECT_EQ(report.earlier_answers, 2u);  // item 100's, held once, repeated by r2.csv
  const auto ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.votes, (std::vector<std::int32_t>{2, 2}));
  EXPECT_EQ(ledger.annotations.ids, (std::vector<std::uint64_t>{100, 100, 101, 101}));
  EXPECT_EQ(ledger.annotations.round, (std::vector<std::int32_t>{1, 1, 2, 2}));
  // The summary and the manifest tell the new answers from the repeated ones.
  EXPECT_EQ(report.answers, 4u);
  EXPECT_EQ(report.repeated_answers, 2u);
  const auto text = format_report(report, dir_ / "labels.h5");
  EXPECT_NE(text.find("2 new answers + 2 repeated (already in the ledger) on 2 items"),
            std::string::npos)
      << text;
  const auto counts = read_complete_manifest(dir_ / "labels.h5")["settings"]["counts"];
  EXPECT_EQ(counts["new_answers"], 2);
  EXPECT_EQ(counts["repeated_answers"], 2);
}

// Label Studio: item 100 was flagged in round 1 (task 5) and sent out again as task 9. The next
// export of the project holds both tasks: task 5's answer repeats, task 9's counts although
// the annotator gives the same label again (a re-annotation, not a repeat).
TEST_F(IngestRun, ALabelStudioTaskSentOutAgainCountsItsAnswers) {
  auto tasks = [&](const std::string& name, const std::string& json) {
    std::ofstream(dir_ / name) << "[" << json << "]";
    return dir_ / name;
  };
  const std::string task5 =
      R"({"id": 5, "data": {"quarry_id": 100}, "annotations": [{"completed_by": 2,)"
      R"( "result": [{"type": "choices", "value": {"choices": ["class0"]}}]}]})";
  const std::string task9 =
      R"({"id": 9, "data": {"quarry_id": 100}, "annotations": [{"completed_by": 2,)"
      R"( "result": [{"type": "choices", "value": {"choices": ["class0"]}}]}]})";
  auto first = request({tasks("p1.json", task5)});
  first.format = AnnotationFormat::label_studio;
  run_ingest(first);
  auto second = request({tasks("p2.json", task5 + "," + task9)});
  second.format = AnnotationFormat::label_studio;
  const auto report = run_ingest(second);
  EXPECT_EQ(report.answers, 2u);  // read: one new, one repeated
  EXPECT_EQ(report.repeated_answers, 1u);
  const auto ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.annotations.task, (std::vector<std::uint64_t>{5, 9}));
  EXPECT_EQ(ledger.votes, (std::vector<std::int32_t>{2}));
  // Exported once more, the project repeats both tasks: nothing new.
  auto third = request({tasks("p3.json", task9 + "," + task5)});
  third.format = AnnotationFormat::label_studio;
  EXPECT_EQ(run_ingest(third).repeated_answers, 2u);
  EXPECT_EQ(read_ledger(dir_ / "labels.h5").annotations.task.size(), 2u);
}

// quarry cycle moves each file after the ingest: the ledger records where it will be.
TEST_F(IngestRun, TheLedgerRecordsTheNameTheRequestGives) {
  auto r = request({csv("r1.csv", "100,a,class0\n")});
  r.recorded_names = {dir_ / "rounds" / "0001" / "ingested" / "r1.csv"};
  run_ingest(r);
  const auto ledger = read_ledger(dir_ / "labels.h5");
  ASSERT_EQ(ledger.files.name.size(), 1u);
  EXPECT_EQ(ledger.files.name[0], (dir_ / "rounds/0001/ingested/r1.csv").string());
  auto two = request({csv("r2.csv", "101,a,class0\n"), csv("r3.csv", "102,a,class0\n")});
  two.recorded_names = {dir_ / "x.csv"};
  EXPECT_THROW(run_ingest(two), UsageError);
}

// Pre-labels: items 100..102 exported with class0, class1, class0 (a later list corrects 102 to
// class2); item 103 without one. New answers only: the repeat of round 1 is not measured again.
TEST_F(IngestRun, PrelabelAcceptanceOverallPerClassAndPerAnnotator) {
  run_ingest(request({csv("r1.csv", "100,a,class0\n")}));
  std::ofstream(dir_ / "p1.csv") << "id,predicted_class,probability\n100,class0,0.9\n"
                                    "101,class1,0.8\n102,class0,0.7\n103,,\n";
  std::ofstream(dir_ / "p2.csv") << "id,file,predicted_class\n102,images/102.png,class2\n";
  auto r = request({csv("r2.csv",
                        "100,a,class0\n100,b,class1\n101,a,class1\n101,b,class1\n"
                        "102,a,class2\n102,b,class0\n103,a,class0\n")});
  r.prelabels = {dir_ / "p1.csv", dir_ / "p2.csv"};
  const auto report = run_ingest(r);
  ASSERT_TRUE(report.prelabel_acceptance);
  const auto& acceptance = *report.prelabel_acceptance;
  EXPECT_EQ(acceptance.overall.answers, 5u);  // 100/b, 101/a, 101/b, 102/a, 102/b
  EXPECT_EQ(acceptance.overall.kept, 3u);
  EXPECT_EQ(acceptance.without_prelabel, 1u);
  EXPECT_EQ(acceptance.per_class.at("class1").kept, 2u);
  EXPECT_EQ(acceptance.per_class.at("class2").answers, 2u);
  EXPECT_EQ(acceptance.per_class.at("class2").kept, 1u);
  EXPECT_EQ(acceptance.per_class.count("class0"), 1u);
  EXPECT_EQ(acceptance.per_class.at("class0").answers, 1u);  // 100/b changed it
  EXPECT_EQ(acceptance.per_annotator.at("a").answers, 2u);
  EXPECT_EQ(acceptance.per_annotator.at("a").kept, 2u);
  EXPECT_DOUBLE_EQ(*acceptance.per_annotator.at("b").share(), 1.0 / 3);
  const auto text = format_report(report, dir_ / "labels.h5");
  EXPECT_NE(text.find("pre-labels kept unchanged: 60.0% (3/5)"), std::string::npos) << text;
  const auto stored = read_complete_manifest(dir_ / "labels.h5")["settings"]["prelabel_acceptance"];
  EXPECT_EQ(stored["kept"], 3);
  EXPECT_EQ(stored["per_annotator"]["b"]["answers"], 3);

  // Without pre-label lists nothing is measured; a bad list is bad input naming file and line.
  EXPECT_FALSE(run_ingest(request({csv("r3.csv", "104,a,class0\n")})).prelabel_acceptance);
  std::ofstream(dir_ / "bad.csv") << "id,predicted_class\n105,class9\n";
  auto bad = request({csv("r4.csv", "105,a,class0\n")});
  bad.prelabels = {dir_ / "bad.csv"};
  const auto before = ledger_bytes();
  try {
    run_ingest(bad);
    ADD_FAILURE() << "a class the pool lacks was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv: line 2"), std::string::npos) << e.what();
  }
  std::ofstream(dir_ / "bad.csv") << "id,label\n105,class0\n";
  EXPECT_THROW(run_ingest(bad), InputError);
  EXPECT_EQ(ledger_bytes(), before);
}

// An annotator answering an item again (Dawid and Skene's observer 1 rated every patient three
// times; a flagged item goes back to its annotator) is not bad input: every answer counts and is
// stored. A later cumulative export holding those answers again adds only what it adds.
TEST_F(IngestRun, RepeatedAnswersOfOneAnnotatorAllCount) {
  const auto ingest = [&](const std::string& name, const std::string& rows) {
    auto r = request({csv(name, rows)});
    r.min_confidence = 0.6;
    return run_ingest(r);
  };
  // a answers class0 twice and class1 once; with b's class1 it is 2 against 2.
  auto report = ingest("r1.csv", "100,a,class0\n100,a,class0\n100,a,class1\n100,b,class1\n");
  EXPECT_EQ(report.answers, 4u);
  auto ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_TRUE(ledger.ids.empty());
  EXPECT_EQ(ledger.adjudicate, (std::vector<std::uint64_t>{100}));
  EXPECT_EQ(ledger.annotations.ids.size(), 4u);

  // Round 2 repeats round 1 (a cumulative export) and adds a third class0 from a and one from c:
  // 4 of 6.
  report = ingest("r2.csv",
                  "100,a,class0\n100,a,class0\n100,a,class1\n100,b,class1\n"
                  "100,a,class0\n100,c,class0\n");
  EXPECT_EQ(report.earlier_answers, 4u);
  ledger = read_ledger(dir_ / "labels.h5");
  ASSERT_EQ(ledger.ids, (std::vector<std::uint64_t>{100}));
  EXPECT_EQ(ledger.labels[0], 0);
  EXPECT_EQ(ledger.votes[0], 6);
  EXPECT_FLOAT_EQ(ledger.confidence[0], 4.0f / 6.0f);
  EXPECT_EQ(ledger.annotations.round, (std::vector<std::int32_t>{1, 1, 1, 1, 2, 2}));

  // A new file in which b changes their mind is one more answer of b's: 5 of 7.
  ingest("r3.csv", "100,b,class0\n");
  ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.votes[0], 7);
  EXPECT_FLOAT_EQ(ledger.confidence[0], 5.0f / 7.0f);
  EXPECT_EQ(ledger.annotations.ids.size(), 7u);
}

// Two files of one ingest: the second holds the first's answers (a cumulative export beside
// the one before it), so only its extra answer is new.
TEST_F(IngestRun, FilesOfOneIngestShareTheirAnswersOnce) {
  auto report = run_ingest(request({csv("old.csv", "100,a,class0\n100,b,class0\n"),
                                    csv("all.csv", "100,a,class0\n100,b,class0\n100,c,class0\n")}));
  const auto ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.votes, (std::vector<std::int32_t>{3}));
  EXPECT_EQ(ledger.annotations.ids.size(), 3u);
  EXPECT_EQ(report.answers, 5u);
}

TEST_F(IngestRun, GoldItemsArePinnedAndScoreAnnotators) {
  // Two rounds' gold files: an item listed in both, with the same label, is fine.
  std::ofstream(dir_ / "gold.csv") << "id,label\n100,class2\n";
  std::ofstream(dir_ / "gold2.csv") << "id,label\n100,class2\n";
  auto r = request({csv("r1.csv", "100,a,class2\n100,b,class0\n101,a,class1\n101,b,class1\n")});
  r.gold = {dir_ / "gold.csv", dir_ / "gold2.csv"};
  r.consensus = ConsensusMethod::dawid_skene;
  auto report = run_ingest(r);
  auto ledger = read_ledger(dir_ / "labels.h5");
  ASSERT_EQ(ledger.ids, (std::vector<std::uint64_t>{100, 101}));
  EXPECT_EQ(ledger.labels[0], 2);
  EXPECT_FLOAT_EQ(ledger.confidence[0], 1.0f);
  ASSERT_EQ(report.annotators.size(), 2u);
  EXPECT_EQ(report.annotators[0].name, "a");
  EXPECT_DOUBLE_EQ(*report.annotators[0].gold_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(*report.annotators[1].gold_accuracy, 0.0);
}

TEST_F(IngestRun, GoldFilesThatDisagreeAreBadInput) {
  std::ofstream(dir_ / "gold.csv") << "id,label\n100,class2\n";
  std::ofstream(dir_ / "gold2.csv") << "id,label\n100,class1\n";
  auto r = request({csv("r1.csv", "100,a,class2\n100,b,class0\n")});
  r.gold = {dir_ / "gold.csv", dir_ / "gold2.csv"};
  try {
    run_ingest(r);
    FAIL() << "disagreeing gold files were accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gold2.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("item 100"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "labels.h5"));
}

TEST_F(IngestRun, BadInputLeavesTheLedgerAloneAndSkipBadIngestsTheRest) {
  run_ingest(request({csv("r1.csv", "100,a,class0\n100,b,class0\n")}));
  const auto before = ledger_bytes();
  auto bad = csv("r2.csv", "101,a,class1\n101,b,class1\n999,a,class1\n101,c,zebra\n");
  EXPECT_THROW(run_ingest(request({bad})), InputError);
  EXPECT_EQ(ledger_bytes(), before);

  auto r = request({bad});
  r.skip_bad = true;
  auto report = run_ingest(r);
  EXPECT_EQ(report.rejected, 2u);
  ASSERT_TRUE(report.rejects_file);
  EXPECT_EQ(*report.rejects_file, rejects_path(dir_ / "labels.h5", 2));
  std::ifstream rejects(*report.rejects_file);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(rejects, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["where"], "line 4");
  EXPECT_NE(lines[0]["problem"].get<std::string>().find("item 999 is not in the pool"),
            std::string::npos);
  EXPECT_NE(lines[1]["problem"].get<std::string>().find("class 'zebra'"), std::string::npos);
  auto ledger = read_ledger(dir_ / "labels.h5");
  EXPECT_EQ(ledger.ids, (std::vector<std::uint64_t>{100, 101}));
}

TEST_F(IngestRun, AConcurrentIngestIsRefusedNotInterleaved) {
  run_ingest(request({csv("r1.csv", "100,a,class0\n")}));
  const auto before = ledger_bytes();
  {
    LedgerLock other(dir_ / "labels.h5");  // another ingest holds the ledger
    try {
      run_ingest(request({csv("r2.csv", "101,a,class0\n")}));
      FAIL() << "ingest ran while the ledger was locked";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("another ingest is writing this ledger"),
                std::string::npos);
    }
  }
  EXPECT_EQ(ledger_bytes(), before);
  run_ingest(request({dir_ / "r2.csv"}));  // once it is released, the ingest goes through
  EXPECT_EQ(read_ledger(dir_ / "labels.h5").ids, (std::vector<std::uint64_t>{100, 101}));
}

TEST_F(IngestRun, ALedgerOfAnotherPoolIsBadInput) {
  run_ingest(request({csv("r1.csv", "100,a,class0\n")}));
  pool::SynthSpec spec;
  spec.count = 10;
  spec.shape = pool::parse_image_shape("1x4x4");
  spec.classes = 5;
  spec.first_id = 100;
  pool::write_synth_pool(spec, dir_ / "other.h5", Overwrite::refuse);
  auto r = request({csv("r2.csv", "101,a,class0\n")});
  r.pool = dir_ / "other.h5";
  const auto before = ledger_bytes();
  EXPECT_THROW(run_ingest(r), InputError);
  EXPECT_EQ(ledger_bytes(), before);
}

}  // namespace
}  // namespace quarry::ingest

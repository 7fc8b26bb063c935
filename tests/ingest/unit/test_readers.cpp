// Each reader on a file shaped like its tool's real export: what becomes a record, what is
// skipped (cancelled tasks, pre-labels), and what is bad input (with the line named).
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "ingest/readers/readers.hpp"
#include "support/temp_dir.hpp"

namespace quarry::ingest {
namespace {

std::filesystem::path write(const testing::TempDir& dir, const std::string& name,
                            const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

std::string error_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no InputError";
}

TEST(ImageName, AcceptsTheExportConventionOnly) {
  EXPECT_EQ(id_from_image_name("images/42.png", false), 42u);
  EXPECT_EQ(id_from_image_name("42.png", false), 42u);
  EXPECT_EQ(id_from_image_name("/data/local-files/?d=export/images/7.png", true), 7u);
  EXPECT_EQ(id_from_image_name("/data/local-files/?d=images/7.png", true), 7u);
  EXPECT_EQ(id_from_image_name("s3://bucket/round-3/images/9.png", true), 9u);
  EXPECT_THROW(id_from_image_name("images/../42.png", false), std::invalid_argument);
  EXPECT_THROW(id_from_image_name("s3://b/../images/42.png", true), std::invalid_argument);
  EXPECT_THROW(id_from_image_name("/data/local-files/?d=../images/42.png", true),
               std::invalid_argument);
  EXPECT_THROW(id_from_image_name("images\\42.png", false), std::invalid_argument);
  EXPECT_THROW(id_from_image_name("sub/images/42.png", false), std::invalid_argument);
  EXPECT_THROW(id_from_image_name("/abs/images/42.png", false), std::invalid_argument);
  EXPECT_THROW(id_from_image_name("images/x42.png", false), std::invalid_argument);
  EXPECT_THROW(id_from_image_name("images/42.jpg", false), std::invalid_argument);
}

TEST(LabelStudio, OneRecordPerCompletedAnnotation) {
  testing::TempDir dir;
  auto file = write(dir, "ls.json", R"([
  {"id": 1, "data": {"image": "/data/local-files/?d=out/images/10.png", "quarry_id": 10},
   "predictions": [{"result": [{"type": "choices", "value": {"choices": ["owl"]}}]}],
   "annotations": [
     {"completed_by": 3, "was_cancelled": false,
      "result": [{"from_name": "label", "to_name": "image", "type": "choices",
                  "value": {"choices": ["cat"]}}]},
     {"completed_by": {"id": 4, "email": "bo@example.org"}, "was_cancelled": false,
      "result": [{"type": "choices", "value": {"choices": ["dog"]}}]},
     {"completed_by": 5, "was_cancelled": true,
      "result": [{"type": "choices", "value": {"choices": ["owl"]}}]},
     {"completed_by": 6, "result": []}
   ]},
  {"id": 2, "data": {"image": "/data/local-files/?d=out/images/11.png", "quarry_id": "11"},
   "annotations": []}
])");
  auto sink = read_annotations(file, AnnotationFormat::label_studio, {});
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].id, 10u);
  EXPECT_EQ(sink.records()[0].annotator, "label-studio:3");  // a user id, not a name
  EXPECT_EQ(sink.records()[0].label, "cat");
  EXPECT_EQ(sink.records()[1].annotator, "bo@example.org");
  EXPECT_EQ(sink.records()[1].label, "dog");
}

// User ids become names that cannot collide with another tool's annotator "3"; the server's
// user list (or the expanded completed_by) names them by email, so one person is one annotator
// whichever way the export wrote them.
TEST(LabelStudio, UserIdsAreNamedByTheMapOrPrefixed) {
  testing::TempDir dir;
  auto file = write(dir, "ls.json", R"([{"id": 1, "data": {"quarry_id": 10}, "annotations": [
     {"completed_by": 3, "result": [{"type": "choices", "value": {"choices": ["cat"]}}]},
     {"completed_by": 4, "result": [{"type": "choices", "value": {"choices": ["cat"]}}]},
     {"completed_by": {"id": 3}, "result": [{"type": "choices", "value": {"choices": ["dog"]}}]},
     {"completed_by": {"id": 3, "email": "ann@example.org", "first_name": "Ann"},
      "result": [{"type": "choices", "value": {"choices": ["owl"]}}]},
     {"completed_by": "carol", "result": [{"type": "choices", "value": {"choices": ["owl"]}}]}
   ]}])");
  const auto names = [&](const AnnotatorMap* users) {
    auto sink = read_annotations(file, AnnotationFormat::label_studio, {false, "", users});
    std::vector<std::string> result;
    for (const auto& r : sink.records()) result.push_back(r.annotator);
    return result;
  };

  EXPECT_EQ(names(nullptr),
            (std::vector<std::string>{"label-studio:3", "label-studio:4", "label-studio:3",
                                      "ann@example.org", "carol"}));
  auto map_file = write(dir, "users.json", R"([
     {"id": 3, "email": "ann@example.org", "username": "ann", "first_name": "Ann"},
     {"id": 5, "email": "bo@example.org"}])");
  const auto users = read_annotator_map(map_file);
  EXPECT_EQ(names(&users),
            (std::vector<std::string>{"ann@example.org", "label-studio:4", "ann@example.org",
                                      "ann@example.org", "carol"}));
  // A paginated answer ({"results": [...]}) is the same list.
  write(dir, "paged.json", R"({"count": 1, "results": [{"id": 3, "email": "ann@example.org"}]})");
  EXPECT_EQ(read_annotator_map(dir / "paged.json"), (AnnotatorMap{{3, "ann@example.org"}}));

  auto bad = write(dir, "bad.json", R"([{"id": 3, "email": "ann@example.org"}, {"id": "x"}])");
  std::string message = error_of([&] { read_annotator_map(bad); });
  EXPECT_NE(message.find("bad.json: user #2 in the list"), std::string::npos) << message;
  EXPECT_NE(message.find("no integer id"), std::string::npos) << message;
  write(dir, "bad.json", R"([{"id": 3, "email": "a@x"}, {"id": 3, "email": "b@x"}])");
  message = error_of([&] { read_annotator_map(bad); });
  EXPECT_NE(message.find("user #2 in the list (id 3)"), std::string::npos) << message;
  write(dir, "bad.json", R"({"id": 3})");
  EXPECT_NE(error_of([&] { read_annotator_map(bad); }).find("not a list"), std::string::npos);
  write(dir, "bad.json", R"([{"id": 3, "email": ""}])");
  EXPECT_NE(error_of([&] { read_annotator_map(bad); }).find("has no email"), std::string::npos);
}

TEST(LabelStudio, MalformedJsonNamesTheLine) {
  testing::TempDir dir;
  auto file = write(dir, "ls.json", "[\n  {\"id\": 1,\n   \"data\": {\"quarry_id\": 3,}\n  }\n]\n");
  const auto message =
      error_of([&] { read_annotations(file, AnnotationFormat::label_studio, {}); });
  EXPECT_NE(message.find("ls.json: line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("malformed JSON"), std::string::npos) << message;
}

TEST(LabelStudio, ImageAndIdMustAgree) {
  testing::TempDir dir;
  auto file = write(dir, "ls.json", R"([{"id": 1, "data": {"image": "x/images/5.png",
    "quarry_id": 6}, "annotations": [{"completed_by": 1,
    "result": [{"type": "choices", "value": {"choices": ["cat"]}}]}]}])");
  const auto message =
      error_of([&] { read_annotations(file, AnnotationFormat::label_studio, {}); });
  EXPECT_NE(message.find("names item 5 but data.quarry_id is 6"), std::string::npos) << message;
  // With skip-bad the record is rejected, not thrown.
  auto sink = read_annotations(file, AnnotationFormat::label_studio, {true, ""});
  EXPECT_TRUE(sink.records().empty());
  ASSERT_EQ(sink.rejected().size(), 1u);
  EXPECT_EQ(sink.rejected()[0].where, "task 1 (#1 in the file)");
}

const char* kCvat = R"(<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta>
    <task>
      <name>round 3</name>
      <owner><username>admin</username></owner>
      <assignee><username>alice</username></assignee>
    </task>
  </meta>
  <image id="0" name="images/10.png" width="28" height="28">
    <tag label="owl" source="auto"/>
    <tag label="cat" source="manual"/>
  </image>
  <image id="1" name="images/11.png" width="28" height="28">
    <tag label="dog"/>
  </image>
  <image id="2" name="images/12.png" width="28" height="28">
    <tag label="dog" source="auto"/>
  </image>
</annotations>
)";

TEST(Cvat, ManualTagsWithTheAssignee) {
  testing::TempDir dir;
  auto file = write(dir, "alice.xml", kCvat);
  auto sink = read_annotations(file, AnnotationFormat::cvat, {});
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].id, 10u);
  EXPECT_EQ(sink.records()[0].label, "cat");
  EXPECT_EQ(sink.records()[0].annotator, "alice");
  EXPECT_EQ(sink.records()[1].id, 11u);
  EXPECT_EQ(sink.records()[1].where, "line 16, column 6 (image images/11.png)");
  // --annotator overrides the file's meta.
  EXPECT_EQ(read_annotations(file, AnnotationFormat::cvat, {false, "bob"}).records()[0].annotator,
            "bob");
}

TEST(Cvat, MalformedXmlAndBadNames) {
  testing::TempDir dir;
  auto broken =
      write(dir, "broken.xml", "<annotations>\n<image name=\"images/1.png\">\n</annotations>\n");
  auto message = error_of([&] { read_annotations(broken, AnnotationFormat::cvat, {false, "a"}); });
  EXPECT_NE(message.find("broken.xml: line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("malformed XML"), std::string::npos) << message;

  auto escape = write(dir, "escape.xml",
                      "<annotations><image name=\"images/../../etc/1.png\"><tag label=\"cat\"/>"
                      "</image></annotations>");
  message = error_of([&] { read_annotations(escape, AnnotationFormat::cvat, {false, "a"}); });
  EXPECT_NE(message.find("contains '..'"), std::string::npos) << message;

  auto nobody =
      write(dir, "nobody.xml", "<annotations><image name=\"images/1.png\"/></annotations>");
  message = error_of([&] { read_annotations(nobody, AnnotationFormat::cvat, {}); });
  EXPECT_NE(message.find("names no annotator"), std::string::npos) << message;
}

TEST(SageMaker, WorkerAnswersAndConsolidatedLabels) {
  testing::TempDir dir;
  auto file = write(
      dir, "output.manifest",
      R"({"source-ref": "s3://b/x/images/10.png", "quarry-id": 10, "annotations": [{"workerId": "private.w1", "annotationData": {"content": "{\"crowd-image-classifier\":{\"label\":\"cat\"}}"}}, {"workerId": "private.w2", "annotationData": {"content": "{\"label\": 1}"}}]}
{"source-ref": "s3://b/x/images/11.png", "quarry-id": 11, "label": 2, "label-metadata": {"class-name": "owl", "confidence": 0.91, "type": "groundtruth/image-classification", "job-name": "labeling-job/round-3", "human-annotated": "yes", "creation-date": "2024-06-11T10:00:00"}}

{"source-ref": "s3://b/x/images/12.png", "label": 0, "label-metadata": {"type": "groundtruth/image-classification", "job-name": "job"}}
)");
  auto sink = read_annotations(file, AnnotationFormat::sagemaker, {});
  ASSERT_EQ(sink.records().size(), 4u);
  EXPECT_EQ(sink.records()[0].annotator, "private.w1");
  EXPECT_EQ(sink.records()[0].label, "cat");
  EXPECT_EQ(sink.records()[1].label, "1");
  EXPECT_EQ(sink.records()[2].id, 11u);
  EXPECT_EQ(sink.records()[2].label, "owl");
  EXPECT_EQ(sink.records()[2].annotator, "labeling-job/round-3");
  EXPECT_EQ(sink.records()[3].id, 12u);  // from source-ref
  EXPECT_EQ(sink.records()[3].label, "0");
  EXPECT_EQ(sink.records()[3].where, "line 4");
}

TEST(SageMaker, MalformedLineIsNamed) {
  testing::TempDir dir;
  auto file = write(dir, "output.manifest",
                    "{\"quarry-id\": 1, \"label\": 0, \"label-metadata\": {\"type\": "
                    "\"groundtruth/image-classification\"}}\n{\"quarry-id\": 2,\n");
  auto message = error_of([&] { read_annotations(file, AnnotationFormat::sagemaker, {}); });
  EXPECT_NE(message.find("output.manifest: line 2"), std::string::npos) << message;
  auto sink = read_annotations(file, AnnotationFormat::sagemaker, {true, ""});
  EXPECT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.rejected().size(), 1u);
}

TEST(Csv, HeaderQuotesAndBadLines) {
  testing::TempDir dir;
  auto file = write(dir, "a.csv",
                    "id,annotator,label\r\n1,alice,cat\r\n2,\"Smith, Jo\",\"say "
                    "\"\"owl\"\"\"\r\n\r\n3,bob,2\r\n");
  auto sink = read_annotations(file, AnnotationFormat::csv, {});
  ASSERT_EQ(sink.records().size(), 3u);
  EXPECT_EQ(sink.records()[1].annotator, "Smith, Jo");
  EXPECT_EQ(sink.records()[1].label, "say \"owl\"");
  EXPECT_EQ(sink.records()[2].where, "line 5");
  auto bad = write(dir, "b.csv", "1,alice,cat\n-2,bob,dog\n");
  auto message = error_of([&] { read_annotations(bad, AnnotationFormat::csv, {}); });
  EXPECT_NE(message.find("b.csv: line 2: id '-2' is not a non-negative integer"), std::string::npos)
      << message;
}

// A CSV is read in pieces of 1 MiB: a line cut at a piece's end is read whole, line numbers run
// on across pieces, and records go to the checker in batches as they are read.
TEST(Csv, ALargeFileIsReadPieceByPiece) {
  testing::TempDir dir;
  std::string text = "id,annotator,label\n";
  constexpr std::size_t kLines = 150000;  // ~2.6 MB: three pieces
  for (std::size_t i = 0; i < kLines; ++i)
    text += std::to_string(i) + ",annotator-" + std::to_string(i % 7) + ",class" +
            std::to_string(i % 3) + "\n";
  text += "oops,bob,cat";  // the last line, without a newline
  auto file = write(dir, "big.csv", text);
  std::size_t handed_over = 0, batches = 0;
  std::vector<std::string> wrong;
  auto sink = read_annotations(file, AnnotationFormat::csv, {true, ""}, [&](RecordSink& batch) {
    ++batches;
    for (const auto& record : batch.records()) {
      if (record.where != "line " + std::to_string(record.id + 2) ||
          record.annotator != "annotator-" + std::to_string(record.id % 7) ||
          record.label != "class" + std::to_string(record.id % 3))
        wrong.push_back(record.where);
      ++handed_over;
    }
  });
  EXPECT_EQ(batches, kLines / kRecordBatch);
  EXPECT_EQ(handed_over + sink.records().size(), kLines);
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " records misread, first at " << wrong.front();
  ASSERT_EQ(sink.rejected().size(), 1u);
  EXPECT_EQ(sink.rejected()[0].where, "line " + std::to_string(kLines + 2));
}

TEST(Readers, AnEmptyFileIsBadInputInEveryFormat) {
  testing::TempDir dir;
  auto file = write(dir, "empty", " \n");
  for (auto format : {AnnotationFormat::label_studio, AnnotationFormat::cvat,
                      AnnotationFormat::sagemaker, AnnotationFormat::csv}) {
    auto message = error_of([&] { read_annotations(file, format, {true, "a"}); });
    EXPECT_NE(message.find("empty: is empty"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace quarry::ingest

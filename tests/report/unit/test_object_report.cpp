// The round report's pieces for detection and keypoint pools: the pre-label overlay in the
// thumbnail's pixels, the AP curve read from rounds' training manifests, and the object ingest
// sections read from what ingest itself writes (object_report_json), not from hand-made JSON.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "files/manifest/manifest.hpp"
#include "ingest/object_report.hpp"
#include "report/html_page.hpp"
#include "report/learning_curve.hpp"
#include "report/object_ingest_sections.hpp"
#include "report/object_overlay.hpp"
#include "support/temp_dir.hpp"

namespace quarry::report {
namespace {

namespace fs = std::filesystem;

// Every <rect class="box">'s x, y, width, height, in document order.
std::vector<std::array<double, 4>> boxes(const std::string& svg) {
  const std::regex rect(
      R"re(<rect class="box" x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)")re");
  std::vector<std::array<double, 4>> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), rect), end; it != end; ++it)
    out.push_back(
        {std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4])});
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportObjects, ShownSizeScalesTheLongerSide) {
  const auto square = shown_size(28, 28);
  EXPECT_EQ(square.width, 160);
  EXPECT_EQ(square.height, 160);
  EXPECT_DOUBLE_EQ(square.scale, 160.0 / 28);
  const auto wide = shown_size(640, 320);
  EXPECT_EQ(wide.width, 160);
  EXPECT_EQ(wide.height, 80);
  EXPECT_DOUBLE_EQ(wide.scale, 0.25);
}

TEST(ReportObjects, OverlayDrawsBoxesInThumbnailPixels) {
  OverlayStyle style;
  style.class_names = {"shirt", "<bag>"};
  style.shown = shown_size(32, 32);  // scale 5
  DrawnDetection a, b;
  a.box = {2, 4, 10, 20};
  a.label = 1;
  a.confidence = 0.875f;
  b.box = {0, 0, 32, 32};
  b.label = 0;
  b.confidence = 0.4f;
  const auto svg = object_overlay({a, b}, style);
  const auto drawn = boxes(svg);
  ASSERT_EQ(drawn.size(), 2u);
  EXPECT_EQ(drawn[0], (std::array<double, 4>{10, 20, 40, 80}));
  EXPECT_EQ(drawn[1], (std::array<double, 4>{0, 0, 160, 160}));
  EXPECT_NE(svg.find("width=\"160\" height=\"160\" viewBox=\"0 0 160 160\""), std::string::npos);
  EXPECT_NE(svg.find("&lt;bag&gt; 0.88"), std::string::npos) << svg;  // escaped class name
  EXPECT_EQ(svg.find("<bag>"), std::string::npos);
  EXPECT_NE(svg.find("shirt 0.40"), std::string::npos);
  // Classes get their own colours; no keypoints, no dots or bones.
  EXPECT_EQ(count(svg, series_colour(0)), 2u);  // box and caption of class 0
  EXPECT_EQ(count(svg, series_colour(1)), 2u);
  EXPECT_EQ(count(svg, "<circle"), 0u);
  EXPECT_EQ(count(svg, "<line"), 0u);
  // Nothing to draw is still an overlay (an empty one), so every thumbnail has the same layout.
  EXPECT_EQ(boxes(object_overlay({}, style)).size(), 0u);
}

TEST(ReportObjects, OverlayDrawsKeypointsAndSkeleton) {
  OverlayStyle style;
  style.class_names = {"head"};
  style.keypoint_names = {"left eye", "right eye", "nose"};
  style.skeleton = {{0, 1}, {1, 2}, {2, 7}};  // the last names no keypoint: skipped
  style.shown = shown_size(64, 64);           // scale 2.5
  DrawnDetection head;
  head.box = {8, 8, 40, 40};
  head.confidence = 0.9f;
  head.keypoints = {16, 20, 0.9f, 32, 20, 0.8f, 24, 30, 0.5f};
  const auto svg = object_overlay({head}, style);
  EXPECT_EQ(count(svg, "<circle class=\"keypoint\""), 3u);
  EXPECT_EQ(count(svg, "<line class=\"bone\""), 2u);
  EXPECT_NE(svg.find("cx=\"40.0\" cy=\"50.0\""), std::string::npos) << svg;  // (16, 20) x 2.5
  EXPECT_NE(svg.find("x1=\"80.0\" y1=\"50.0\" x2=\"60.0\" y2=\"75.0\""), std::string::npos);
  EXPECT_NE(svg.find("<title>right eye (0.80)</title>"), std::string::npos);
}

void write_eval(const fs::path& workspace, int round, const nlohmann::json& eval) {
  const auto dir = workspace / "rounds" / fmt::format("{:04d}", round);
  fs::create_directories(dir);
  std::ofstream(dir / "model.pt") << "model";
  Manifest manifest("train");
  manifest.set_setting("eval", eval);
  manifest.add_output("model", dir / "model.pt");
  manifest.publish_for(dir / "model.pt");
}

TEST(ReportObjects, CurvesFollowTheRoundsEvaluations) {
  testing::TempDir ws;
  auto detection = [](double ap50, double ap, double oks) {
    nlohmann::json eval = {{"items", 100},
                           {"bbox", {{"stats", {{"AP", ap}, {"AP50", ap50}}}}},
                           {"keypoints", {{"stats", {{"AP", oks}}}}}};
    return eval;
  };
  write_eval(ws.path(), 0, detection(0.2, 0.1, -1));  // no keypoints measured: COCO's -1
  fs::create_directories(ws / "rounds" / "0001");     // a round that did not evaluate
  write_eval(ws.path(), 2, detection(0.6, 0.3, 0.4));
  write_eval(ws.path(), 3, detection(0.7, 0.4, 0.5));  // past the reported round
  const auto curves = workspace_curves(ws.path(), 2, {10, 20, 30});
  ASSERT_EQ(curves.size(), 3u);
  EXPECT_EQ(curves[0].name, "AP@.5 (boxes)");
  EXPECT_EQ(curves[0].x, (std::vector<double>{10, 30}));
  EXPECT_EQ(curves[0].y, (std::vector<double>{0.2, 0.6}));
  EXPECT_EQ(curves[1].name, "AP@[.5:.95] (boxes)");
  EXPECT_EQ(curves[1].y, (std::vector<double>{0.1, 0.3}));
  EXPECT_EQ(curves[2].name, "OKS-AP (keypoints)");
  EXPECT_EQ(curves[2].x, (std::vector<double>{30}));

  testing::TempDir classify;
  write_eval(classify.path(), 0, {{"accuracy", 0.75}});
  const auto accuracy = workspace_curves(classify.path(), 0, {40});
  ASSERT_EQ(accuracy.size(), 1u);
  EXPECT_EQ(accuracy[0].name, "accuracy");
  EXPECT_EQ(accuracy[0].y, (std::vector<double>{0.75}));
  EXPECT_TRUE(workspace_curves(ws.path(), 1, {10, 20}).size() == 2u);  // round 0's boxes only
}

// What an object ingest records, built by ingest's own writer.
nlohmann::json ingest_record(std::int64_t kept, std::int64_t adjusted, std::int64_t deleted,
                             std::int64_t added) {
  ingest::ObjectReport report;
  report.objects = 12;
  report.between_annotators.matched = 4;
  report.between_annotators.iou_sum = 3.2;
  ingest::ObjectAnnotatorRow row;
  row.name = "ann<1>";
  row.answers = 6;
  row.reliability = 0.9;
  row.prelabels = ingest::objects::PrelabelCounts{kept, adjusted, deleted, added};
  report.annotators.push_back(row);
  report.prelabels = ingest::objects::PrelabelCounts{kept, adjusted, deleted, added};
  return ingest::object_report_json(report);
}

TEST(ReportObjects, IngestSectionShowsAgreementAndAccounting) {
  const auto html = object_ingest_html(ingest_record(6, 2, 2, 3));
  EXPECT_NE(html.find("mean IoU 0.800"), std::string::npos) << html;
  EXPECT_NE(html.find("keypoint OKS &ndash;"), std::string::npos) << html;  // boxes only
  EXPECT_NE(html.find("<td>all annotators</td><td>6</td><td>2</td><td>2</td><td>3</td>"
                      "<td>60.0%</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<td>ann&lt;1&gt;</td><td>6</td>"), std::string::npos) << html;
  // One answer per item: ingest compares no pairs (F1 1, nothing matched), and says so.
  nlohmann::json alone = ingest_record(6, 2, 2, 3);
  alone["agreement"] = ingest::object_report_json(ingest::ObjectReport{})["agreement"];
  const auto single = object_ingest_html(alone);
  EXPECT_NE(single.find("no item had two answers to compare"), std::string::npos) << single;
  nlohmann::json without = ingest_record(1, 0, 0, 0);
  without["prelabels"] = nullptr;
  without["annotators"]["ann<1>"]["prelabels"] = nullptr;
  EXPECT_NE(object_ingest_html(without).find("No pre-labels were known"), std::string::npos);
}

TEST(ReportObjects, AccountingByRoundReadsEachRoundsIngestRecord) {
  testing::TempDir ws;
  auto write = [&](const char* round, const nlohmann::json& record) {
    fs::create_directories(ws / "rounds" / round);
    std::ofstream(ws / "rounds" / round / "ingest.json") << record.dump();
  };
  write("0001",
        {{"batches", {{{"files", {"a.json", "b<.csv"}}, {"objects", ingest_record(1, 3, 0, 4)}}}}});
  write("0002", {{"batches", {{{"files", {"b.csv"}}, {"objects", nullptr}}}}});  // classification
  write("0003", {{"batches", {{{"files", {"c.json"}}, {"objects", ingest_record(3, 1, 0, 1)}}}}});
  HtmlPage page("t");
  add_object_ingest_by_round_section(page, ws.path(), 3);
  const auto html = page.render();
  EXPECT_NE(html.find("<td>0001</td><td>a.json, b&lt;.csv</td><td>0.800</td><td>&ndash;</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<td>1</td><td>3</td><td>0</td><td>4</td><td>25.0%</td>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<td>3</td><td>1</td><td>0</td><td>1</td><td>75.0%</td>"), std::string::npos);
  EXPECT_EQ(html.find("<td>0002</td>"), std::string::npos);
  HtmlPage none("t");
  add_object_ingest_by_round_section(none, ws.path(), 0);
  EXPECT_NE(none.render().find("No round's ingest took object answers yet"), std::string::npos);
}

}  // namespace
}  // namespace quarry::report

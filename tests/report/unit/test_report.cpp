// The report's building blocks: escaping, base64 (RFC 4648 vectors), SVG charts as well-formed
// markup with one mark per value, atomic publication, and the round report's input checks.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "core/error.hpp"
#include "report/html_page.hpp"
#include "report/round_report.hpp"
#include "report/svg_chart.hpp"
#include "report/thumbnails.hpp"
#include "support/temp_dir.hpp"

namespace quarry::report {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportHtml, EscapesMarkupCharacters) {
  EXPECT_EQ(escape_html("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(escape_html("plain"), "plain");
}

TEST(ReportHtml, Base64MatchesRfc4648) {
  auto b64 = [](const std::string& s) { return base64({s.begin(), s.end()}); };
  EXPECT_EQ(b64(""), "");
  EXPECT_EQ(b64("f"), "Zg==");
  EXPECT_EQ(b64("fo"), "Zm8=");
  EXPECT_EQ(b64("foo"), "Zm9v");
  EXPECT_EQ(b64("foob"), "Zm9vYg==");
  EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64({0xff, 0xfe, 0x00}), "//4A");
}

TEST(ReportSvg, LineChartDrawsEverySeriesAndPoint) {
  const auto svg = line_chart({{"random", {500, 1000, 1500}, {0.7, 0.75, 0.8}, {}},
                               {"a<b", {500, 1000}, {0.7, 0.8}, {0.01, 0.02}}},
                              {"labels", "accuracy", 600, 300});
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  EXPECT_EQ(count(svg, "<circle"), 5u);
  EXPECT_EQ(count(svg, "<polygon"), 1u);  // the spread band of the second series
  EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
  EXPECT_EQ(svg.find("a<b"), std::string::npos);
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_EQ(count(svg, "</svg>"), 1u);
}

TEST(ReportSvg, BarChartHasOneBarPerCategoryAndGroup) {
  const auto svg =
      bar_chart({"cat", "dog", "eel"}, {{"pool", {0.2, 0.3, 0.5}}, {"batch", {1, 0, 0}}},
                {"class", "share", 600, 300});
  // Bars carry a <title>; the background and legend swatches do not.
  EXPECT_EQ(count(svg, "<title>"), 6u);
  EXPECT_NE(svg.find("<title>dog pool: 0.3</title>"), std::string::npos);
}

TEST(ReportSvg, HistogramSharesCoverEveryValue) {
  const auto svg = histogram({0, 0, 0, 1}, {1}, 2, "pool", "batch", {"x", "share", 600, 300});
  EXPECT_NE(svg.find("pool: 0.75</title>"), std::string::npos);
  EXPECT_NE(svg.find("pool: 0.25</title>"), std::string::npos);
  EXPECT_NE(svg.find("batch: 1</title>"), std::string::npos);
}

TEST(ReportHtml, PublishRefusesToReplaceUnlessAsked) {
  testing::TempDir dir;
  HtmlPage page("Round <1>");
  page.add_section("Part", "<p>body</p>");
  page.publish(dir / "r.html", Overwrite::refuse);
  EXPECT_THROW(page.publish(dir / "r.html", Overwrite::refuse), UsageError);
  page.publish(dir / "r.html", Overwrite::replace);
  std::ifstream in(dir / "r.html");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("<title>Round &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(text.str().find("<h2>Part</h2>"), std::string::npos);
}

TEST(ReportRound, MissingRoundIsBadInput) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "rounds" / "0002");
  EXPECT_EQ(newest_round(dir.path()), 2);
  EXPECT_EQ(round_folder(dir.path(), 2), dir.path() / "rounds" / "0002");
  EXPECT_THROW(write_round_report(dir.path(), 5, dir / "r.html"), InputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "r.html"));
  testing::TempDir empty;
  EXPECT_THROW(newest_round(empty.path()), InputError);
}

}  // namespace
}  // namespace quarry::report

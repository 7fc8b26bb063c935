// The report's building blocks: escaping, base64 (RFC 4648 vectors), SVG charts as well-formed
// markup with one mark per value, atomic publication, and the round report's input checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

// The tick labels of one axis ("x-tick" or "y-tick") as drawn.
std::vector<std::string> ticks(const std::string& svg, const std::string& axis) {
  const std::regex tick("<text class=\"" + axis + "\"[^>]*>([^<]*)</text>");
  std::vector<std::string> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), tick), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

bool distinct(std::vector<std::string> labels) {
  std::sort(labels.begin(), labels.end());
  return std::adjacent_find(labels.begin(), labels.end()) == labels.end();
}

// Issue 15 item 9: after the first trained round the learning curve had one point; its axis ran
// from 0.58 to 1.58 and its label ticks read 200, 200, 200, 201, 201.
TEST(ReportSvg, OnePointChartKeepsAccuracyInUnitRangeAndTicksDistinct) {
  const auto svg =
      line_chart({{"accuracy", {200}, {0.58}, {}}},
                 {"labels", "test accuracy", 720, 320, AxisKind::count, AxisKind::share});
  const auto y = ticks(svg, "y-tick"), x = ticks(svg, "x-tick");
  ASSERT_GE(y.size(), 3u);
  ASSERT_GE(x.size(), 3u);
  EXPECT_TRUE(distinct(y));
  EXPECT_TRUE(distinct(x));
  for (const auto& label : y) {
    EXPECT_GE(std::stod(label), 0.0) << label;
    EXPECT_LE(std::stod(label), 1.0) << label;
  }
  for (const auto& label : x) EXPECT_EQ(label.find('.'), std::string::npos) << label;
  EXPECT_LE(std::stod(y.front()), 0.58);
  EXPECT_GE(std::stod(y.back()), 0.58);
  EXPECT_LE(std::stod(x.front()), 200);
  EXPECT_GE(std::stod(x.back()), 200);
}

TEST(ReportSvg, AxisTicksAreRoundAndCoverTheData) {
  // Perfect accuracy stays at or below 1; a share axis starting at 0 keeps 0.
  const auto perfect = axis_ticks(1.0, 1.0, AxisKind::share);
  EXPECT_DOUBLE_EQ(perfect.hi, 1.0);
  EXPECT_LT(perfect.lo, 1.0);
  EXPECT_TRUE(distinct(perfect.labels()));
  // Counts one apart: whole-number ticks, each printed once.
  const auto labels = axis_ticks(200, 201, AxisKind::count);
  EXPECT_GE(labels.step, 1.0);
  EXPECT_EQ(labels.labels(), (std::vector<std::string>{"200", "201"}));
  // A real range: steps of 1, 2 or 5 times a power of ten, ends on the grid around the data.
  const auto real = axis_ticks(0.013, 0.087, AxisKind::real);
  EXPECT_DOUBLE_EQ(real.step, 0.02);
  EXPECT_DOUBLE_EQ(real.lo, 0.0);
  EXPECT_NEAR(real.hi, 0.1, 1e-12);
  EXPECT_EQ(real.labels(),
            (std::vector<std::string>{"0.00", "0.02", "0.04", "0.06", "0.08", "0.10"}));
  // Nothing to show: the unit range; negative values print without "-0".
  EXPECT_EQ(axis_ticks(NAN, NAN, AxisKind::real).labels().front(), "0.0");
  const auto around_zero = axis_ticks(-0.4, 0.4, AxisKind::real).labels();
  EXPECT_NE(std::find(around_zero.begin(), around_zero.end(), "0.0"), around_zero.end());
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

// Pre-label acceptance round by round: one row per round whose ingest record (quarry cycle's
// rounds/NNNN/ingest.json) measured it, none for rounds that did not, and a note when none did.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "report/html_page.hpp"
#include "report/ingest_sections.hpp"
#include "support/temp_dir.hpp"

namespace quarry::report {
namespace {

void write_record(const std::filesystem::path& workspace, const char* round, const char* json) {
  const auto dir = workspace / "rounds" / round;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ingest.json") << json;
}

TEST(ReportAcceptance, OneRowPerRoundThatMeasuredIt) {
  testing::TempDir dir;
  write_record(
      dir.path(), "0001",
      R"({"round": 1, "prelabel_acceptance": {"answers": 40, "kept": 10, "share": 0.25}})");
  write_record(dir.path(), "0002", R"({"round": 2, "prelabel_acceptance": null})");
  write_record(
      dir.path(), "0003",
      R"({"round": 3, "prelabel_acceptance": {"answers": 40, "kept": 30, "share": 0.75}})");
  write_record(dir.path(), "0004", "{damaged");
  HtmlPage page("t");
  add_acceptance_by_round_section(page, dir.path(), 4);
  const auto html = page.render();
  EXPECT_NE(html.find("<td>0001</td><td>40</td><td>10</td><td>25.0%</td>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<td>0003</td><td>40</td><td>30</td><td>75.0%</td>"), std::string::npos)
      << html;
  EXPECT_EQ(html.find("<td>0002</td>"), std::string::npos);
  EXPECT_EQ(html.find("<td>0004</td>"), std::string::npos);

  // Up to the report's round only; none measured: a note.
  HtmlPage early("t");
  add_acceptance_by_round_section(early, dir.path(), 0);
  EXPECT_NE(early.render().find("No round's ingest measured it yet"), std::string::npos);
}

}  // namespace
}  // namespace quarry::report

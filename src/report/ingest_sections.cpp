#include "report/ingest_sections.hpp"

#include <fmt/format.h>

#include "files/manifest/manifest.hpp"

namespace quarry::report {

namespace {

std::string cell(const nlohmann::json& value, const char* format = "{:.3f}") {
  if (value.is_number()) return fmt::format(fmt::runtime(format), value.get<double>());
  return "&ndash;";
}

}  // namespace

void add_ingest_section(HtmlPage& page, const std::filesystem::path& ledger) {
  const auto manifest = read_complete_manifest(ledger);
  const char* heading = "Last ingest: agreement and annotator reliability";
  if (manifest.is_null() || !manifest.contains("settings") ||
      !manifest["settings"].contains("agreement")) {
    page.add_section(heading, "<p class=\"note\">No ingest has been recorded yet.</p>");
    return;
  }
  const auto& settings = manifest["settings"];
  const auto& agreement = settings["agreement"];
  std::string html = fmt::format(
      "<p>Round {}: consensus {}, Fleiss' kappa {}, Krippendorff's alpha {}.</p>\n",
      settings.value("round", 0), escape_html(settings.value("consensus", std::string("?"))),
      cell(agreement.value("fleiss_kappa", nlohmann::json())),
      cell(agreement.value("krippendorff_alpha", nlohmann::json())));
  if (settings.contains("counts")) {
    const auto& c = settings["counts"];
    html += render_table({{"answers", "items", "resolved", "unresolved", "added", "changed"},
                          {{cell(c.value("answers", nlohmann::json()), "{:.0f}"),
                            cell(c.value("items", nlohmann::json()), "{:.0f}"),
                            cell(c.value("resolved", nlohmann::json()), "{:.0f}"),
                            cell(c.value("unresolved", nlohmann::json()), "{:.0f}"),
                            cell(c.value("added", nlohmann::json()), "{:.0f}"),
                            cell(c.value("changed", nlohmann::json()), "{:.0f}")}}});
  }
  Table annotators{
      {"annotator", "answers", "agrees with consensus", "estimated accuracy", "gold accuracy"}, {}};
  if (agreement.contains("annotators"))
    for (const auto& [name, row] : agreement["annotators"].items())
      annotators.rows.push_back({escape_html(name),
                                 cell(row.value("answers", nlohmann::json()), "{:.0f}"),
                                 cell(row.value("consensus_accuracy", nlohmann::json())),
                                 cell(row.value("estimated_accuracy", nlohmann::json())),
                                 cell(row.value("gold_accuracy", nlohmann::json()))});
  html += render_table(annotators);
  page.add_section(heading, html);
}

}  // namespace quarry::report

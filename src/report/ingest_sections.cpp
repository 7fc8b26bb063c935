#include "report/ingest_sections.hpp"

#include <fmt/format.h>

#include "files/manifest/manifest.hpp"
#include "report/json_cells.hpp"
#include "report/object_ingest_sections.hpp"

namespace quarry::report {

namespace {

std::string share_cell(const nlohmann::json& count) {
  const auto share = count.is_object() ? count.value("share", nlohmann::json()) : nlohmann::json();
  return share.is_number() ? fmt::format("{:.1f}%", 100 * share.get<double>()) : "&ndash;";
}

// {name: {answers, kept, share}} as one table, `what` naming the first column.
std::string acceptance_table(const nlohmann::json& counts, const char* what) {
  Table table{{what, "answers on pre-labeled items", "kept unchanged", "share kept"}, {}};
  if (counts.is_object())
    for (const auto& [name, count] : counts.items())
      table.rows.push_back({escape_html(name), count_cell(count, "answers"),
                            count_cell(count, "kept"), share_cell(count)});
  return render_table(table);
}

// How often annotators kept the exported pre-label (ingest's prelabel_acceptance).
std::string acceptance_html(const nlohmann::json& acceptance) {
  std::string html = fmt::format(
      "<p>Pre-labels kept unchanged: {} ({} of {} new answers on pre-labeled items).</p>\n",
      share_cell(acceptance), count_cell(acceptance, "kept"), count_cell(acceptance, "answers"));
  html += acceptance_table(acceptance.value("per_class", nlohmann::json()), "pre-label class");
  html += acceptance_table(acceptance.value("per_annotator", nlohmann::json()), "annotator");
  return html;
}

// The ingest's counts (answers, items, ledger changes) as one table row.
std::string counts_table(const nlohmann::json& settings) {
  if (!settings.contains("counts")) return {};
  const auto& c = settings["counts"];
  return render_table(
      {{"answers", "new", "repeated", "items", "resolved", "unresolved", "added", "changed"},
       {{count_cell(c, "answers"), count_cell(c, "new_answers"), count_cell(c, "repeated_answers"),
         count_cell(c, "items"), count_cell(c, "resolved"), count_cell(c, "unresolved"),
         count_cell(c, "added"), count_cell(c, "changed")}}});
}

}  // namespace

void add_ingest_section(HtmlPage& page, const std::filesystem::path& ledger) {
  const auto manifest = read_complete_manifest(ledger);
  const auto settings = field(manifest, "settings");
  if (const auto objects = field(settings, "objects"); objects.is_object()) {
    page.add_section(
        "Last ingest: agreement on objects and pre-label accounting",
        fmt::format("<p>The ingest of round {}.</p>\n", count_cell(settings, "round")) +
            counts_table(settings) + object_ingest_html(objects));
    return;
  }
  const char* heading = "Last ingest: agreement and annotator reliability";
  if (!field(settings, "agreement").is_object()) {
    page.add_section(heading, "<p class=\"note\">No ingest has been recorded yet.</p>");
    return;
  }
  const auto& agreement = settings["agreement"];
  std::string html = fmt::format(
      "<p>Round {}: consensus {}, Fleiss' kappa {}, Krippendorff's alpha {}.</p>\n",
      settings.value("round", 0), escape_html(settings.value("consensus", std::string("?"))),
      number_cell(agreement.value("fleiss_kappa", nlohmann::json())),
      number_cell(agreement.value("krippendorff_alpha", nlohmann::json())));
  html += counts_table(settings);
  Table annotators{
      {"annotator", "answers", "agrees with consensus", "estimated accuracy", "gold accuracy"}, {}};
  if (agreement.contains("annotators"))
    for (const auto& [name, row] : agreement["annotators"].items())
      annotators.rows.push_back({escape_html(name),
                                 number_cell(row.value("answers", nlohmann::json()), "{:.0f}"),
                                 number_cell(row.value("consensus_accuracy", nlohmann::json())),
                                 number_cell(row.value("estimated_accuracy", nlohmann::json())),
                                 number_cell(row.value("gold_accuracy", nlohmann::json()))});
  html += render_table(annotators);
  if (const auto acceptance = settings.value("prelabel_acceptance", nlohmann::json());
      acceptance.is_object())
    html += acceptance_html(acceptance);
  page.add_section(heading, html);
}

void add_acceptance_by_round_section(HtmlPage& page, const std::filesystem::path& workspace,
                                     int last_round) {
  Table table{{"ingest of round", "answers on pre-labeled items", "kept unchanged", "share kept"},
              {}};
  for (int round = 0; round <= last_round; ++round) {
    // quarry cycle's record of the round's ingest stage (pipeline's stage_output).
    const auto record =
        read_json_file(workspace / "rounds" / fmt::format("{:04d}", round) / "ingest.json");
    if (!record.is_object() || !record.value("prelabel_acceptance", nlohmann::json()).is_object())
      continue;
    const auto& acceptance = record["prelabel_acceptance"];
    table.rows.push_back({fmt::format("{:04d}", round), count_cell(acceptance, "answers"),
                          count_cell(acceptance, "kept"), share_cell(acceptance)});
  }
  page.add_table_section("Pre-label acceptance by round",
                         "How often annotators kept the model's pre-label unchanged: the labeling "
                         "work the model saves. It should rise round after round.",
                         table,
                         "No round's ingest measured it yet: quarry cycle does when the answers "
                         "are to a batch quarry exported.");
}

}  // namespace quarry::report

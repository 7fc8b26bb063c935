#include "report/object_ingest_sections.hpp"

#include <fmt/format.h>

#include "report/json_cells.hpp"

namespace quarry::report {

namespace {

// Agreement over no pairs at all (one answer per item): ingest records F1 1 and no match.
bool compared_nothing(const nlohmann::json& comparison) {
  return field(comparison, "matched") == 0 && field(comparison, "f1") == 1;
}

// The mean IoU of matched boxes; a dash where nothing matched (ingest writes 0 for it).
std::string mean_iou_cell(const nlohmann::json& comparison) {
  return field(comparison, "matched") == 0 ? "&ndash;" : number_cell(field(comparison, "mean_iou"));
}

// kept, adjusted, deleted, added and the share of pre-labels kept as they were.
std::vector<std::string> accounting_cells(const nlohmann::json& counts) {
  std::vector<std::string> cells;
  for (const char* key : {"kept", "adjusted", "deleted", "added"})
    cells.push_back(count_cell(counts, key));
  double prelabels = 0;
  for (const char* key : {"kept", "adjusted", "deleted"})
    if (field(counts, key).is_number()) prelabels += field(counts, key).get<double>();
  cells.push_back(
      prelabels > 0 ? fmt::format("{:.1f}%", 100 * field(counts, "kept").get<double>() / prelabels)
                    : "&ndash;");
  return cells;
}

const std::vector<std::string>& accounting_header() {
  static const std::vector<std::string> header = {"kept", "adjusted", "deleted", "added",
                                                  "share of pre-labels kept"};
  return header;
}

std::string annotators_table(const nlohmann::json& annotators) {
  Table table{{"annotator", "answers", "precision", "recall", "mean IoU", "mean OKS", "reliability",
               "gold precision", "gold recall"},
              {}};
  if (annotators.is_object())
    for (const auto& [name, row] : annotators.items()) {
      const auto consensus = field(row, "consensus"), gold = field(row, "gold");
      table.rows.push_back(
          {escape_html(name), count_cell(row, "answers"),
           number_cell(field(consensus, "precision")), number_cell(field(consensus, "recall")),
           mean_iou_cell(consensus), number_cell(field(consensus, "mean_oks")),
           number_cell(field(row, "reliability")), number_cell(field(gold, "precision")),
           number_cell(field(gold, "recall"))});
    }
  return render_table(table);
}

std::string accounting_table(const nlohmann::json& objects) {
  Table table{{"who"}, {}};
  for (const auto& name : accounting_header()) table.header.push_back(name);
  auto add = [&](const std::string& who, const nlohmann::json& counts) {
    if (!counts.is_object()) return;
    table.rows.push_back({who});
    for (auto& cell : accounting_cells(counts)) table.rows.back().push_back(std::move(cell));
  };
  add("all annotators", field(objects, "prelabels"));
  if (const auto annotators = field(objects, "annotators"); annotators.is_object())
    for (const auto& [name, row] : annotators.items())
      add(escape_html(name), field(row, "prelabels"));
  if (table.rows.empty())
    return "<p class=\"note\">No pre-labels were known for these answers (quarry ingest "
           "--prelabels, which quarry cycle passes).</p>\n";
  return "<p>Pre-label accounting: each answer's objects matched to the model's pre-labels; a "
         "pre-label kept (same class, IoU &ge; 0.95), adjusted, or deleted, and objects the "
         "model missed added.</p>\n" +
         render_table(table);
}

// The batch's answer files, as "a.csv, b.csv".
std::string file_names(const nlohmann::json& files) {
  std::string names;
  for (const auto& file : files)
    if (file.is_string())
      names += (names.empty() ? "" : ", ") + escape_html(file.get<std::string>());
  return names;
}

}  // namespace

std::string object_ingest_html(const nlohmann::json& objects) {
  const auto agreement = field(objects, "agreement");
  std::string html = fmt::format(
      "<p>Consensus of objects: boxes matched at IoU &ge; {}, kept with support &ge; {}: {} "
      "objects, {} items with split support.</p>\n",
      number_cell(field(objects, "iou_threshold"), "{:.2f}"),
      number_cell(field(objects, "min_support"), "{:.2f}"), count_cell(objects, "objects"),
      count_cell(objects, "split_items"));
  if (compared_nothing(agreement))
    html += "<p>Agreement between annotators: no item had two answers to compare.</p>\n";
  else
    html += fmt::format(
        "<p>Agreement between annotators: mean IoU {} of matched boxes, object F1 {}, keypoint "
        "OKS {}.</p>\n",
        mean_iou_cell(agreement), number_cell(field(agreement, "f1")),
        number_cell(field(agreement, "mean_oks")));
  return html + annotators_table(field(objects, "annotators")) + accounting_table(objects);
}

void add_object_ingest_by_round_section(HtmlPage& page, const std::filesystem::path& workspace,
                                        int last_round) {
  Table table{{"ingest of round", "files", "mean IoU", "keypoint OKS"}, {}};
  for (const auto& name : accounting_header()) table.header.push_back(name);
  for (int round = 0; round <= last_round; ++round) {
    // quarry cycle's record of the round's ingest stage: one entry per answer format.
    const auto record =
        read_json_file(workspace / "rounds" / fmt::format("{:04d}", round) / "ingest.json");
    for (const auto& batch : field(record, "batches")) {
      const auto objects = field(batch, "objects");
      if (!objects.is_object()) continue;
      std::vector<std::string> row = {fmt::format("{:04d}", round),
                                      file_names(field(batch, "files")),
                                      mean_iou_cell(field(objects, "agreement")),
                                      number_cell(field(field(objects, "agreement"), "mean_oks"))};
      for (auto& cell : accounting_cells(field(objects, "prelabels"))) row.push_back(cell);
      table.rows.push_back(std::move(row));
    }
  }
  page.add_table_section("Agreement and pre-label accounting by round",
                         "As the model improves, more pre-labels are kept and fewer objects are "
                         "added: the drawing work the model saves.",
                         table, "No round's ingest took object answers yet.");
}

}  // namespace quarry::report

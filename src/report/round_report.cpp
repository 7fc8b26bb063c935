#include "report/round_report.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "files/ledger/ledger.hpp"
#include "files/manifest/manifest.hpp"
#include "files/scores/scores_file.hpp"
#include "report/batch_sections.hpp"
#include "report/html_page.hpp"
#include "report/ingest_sections.hpp"
#include "report/learning_curve.hpp"
#include "report/object_ingest_sections.hpp"
#include "report/svg_chart.hpp"
#include "stopping/stop_record.hpp"

namespace quarry::report {

namespace fs = std::filesystem;

namespace {

// Labeled items the ledger held after each round's ingest: labels set in that round or before.
std::vector<std::size_t> labels_by_round(const ingest::Ledger& ledger, int last_round) {
  std::vector<std::size_t> labels(std::size_t(last_round) + 1, 0);
  for (const auto r : ledger.round)
    if (r <= last_round) ++labels[std::size_t(std::max(r, 0))];
  for (std::size_t round = 1; round < labels.size(); ++round) labels[round] += labels[round - 1];
  return labels;
}

// A detection or keypoint workspace: its ledger holds objects, or (before the first ingest) the
// round's scores hold detections.
bool holds_objects(const ingest::Ledger& ledger, const fs::path& scores) {
  return ledger.objects.present ||
         (fs::exists(scores) && score::ScoresFile::open(scores).meta().has_detections());
}

// The stopping criterion as of this round (rounds' stop.json), when a round recorded a kappa.
void add_stopping_section(HtmlPage& page, const fs::path& workspace, int last_round) {
  std::vector<fs::path> dirs;
  for (int round = 0; round <= last_round; ++round) dirs.push_back(round_folder(workspace, round));
  const auto tracked = stopping::workspace_stopping(dirs);
  if (!tracked) return;
  page.add_section(
      "Stopping criterion",
      "<p>" + escape_html(stopping::describe_stopping(tracked->first, tracked->second)) +
          " (Cohen's kappa between successive rounds' predictions on " +
          std::to_string(tracked->second.set_size) + " unlabeled stop-set items).</p>");
}

}  // namespace

fs::path round_folder(const fs::path& workspace, int round) {
  return workspace / "rounds" / fmt::format("{:04d}", round);
}

int newest_round(const fs::path& workspace) {
  int round = -1;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(workspace / "rounds", error)) {
    const auto name = entry.path().filename().string();
    if (entry.is_directory() && !name.empty() &&
        name.find_first_not_of("0123456789") == std::string::npos)
      round = std::max(round, std::stoi(name));
  }
  if (round < 0)
    throw InputError(workspace.string(), "rounds/", "holds no round yet",
                     "run quarry cycle WORKSPACE first");
  return round;
}

void write_round_report(const fs::path& workspace, int round, const fs::path& out_html,
                        Overwrite overwrite, const RoundReportOptions& options) {
  const auto dir = round_folder(workspace, round);
  if (!fs::is_directory(dir))
    throw InputError(workspace.string(), fmt::format("round {}", round), "has no round folder",
                     "quarry status WORKSPACE lists the rounds");
  HtmlPage page(fmt::format("quarry round {:04d}: {}", round,
                            fs::absolute(workspace).lexically_normal().filename().string()));
  const auto ledger_path = workspace / "labels.h5";
  const auto ledger = ingest::read_ledger(ledger_path);
  page.add_paragraph(fmt::format("Workspace {}; the ledger holds {} labels from {} ingest(s).",
                                 fs::absolute(workspace).lexically_normal().string(), ledger.size(),
                                 ledger.rounds));

  const auto scores = dir / "scores.h5", selection = dir / "selection.h5";
  if (fs::exists(scores) && fs::exists(selection))
    add_batch_sections(page, scores, selection, {}, options.thumbnails, options.bins);
  else
    page.add_section("Batch", "<p class=\"note\">This round has no scores and selection yet.</p>");

  add_ingest_section(page, ledger_path);
  if (holds_objects(ledger, scores))
    add_object_ingest_by_round_section(page, workspace, round);
  else
    add_acceptance_by_round_section(page, workspace, round);

  const auto curves = workspace_curves(workspace, round, labels_by_round(ledger, round));
  const bool accuracy = !curves.empty() && curves.front().name == "accuracy";
  if (curves.empty())
    page.add_section("Learning curve",
                     "<p class=\"note\">No round's training evaluated a model yet (the seed "
                     "round's model is untrained; without eval-pool in quarry.ini none does).</p>");
  else
    page.add_section("Learning curve across rounds",
                     line_chart(curves, {accuracy ? "labels" : "labeled images",
                                         accuracy ? "test accuracy" : "AP on the eval pool", 720,
                                         320, AxisKind::count, AxisKind::share}));
  add_stopping_section(page, workspace, round);
  page.publish(out_html, overwrite);
}

}  // namespace quarry::report

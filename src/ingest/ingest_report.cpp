// The summary printed after `quarry ingest`: counts, agreement, one row per annotator, and what
// happened to the ledger.
#include <fmt/format.h>

#include <cmath>

#include "ingest/ingest_run.hpp"

namespace quarry::ingest {

namespace {
std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.3f}", value) : "n/a";
}
std::string number(const std::optional<double>& value) {
  return value ? number(*value) : "-";
}
}  // namespace

std::string format_report(const IngestReport& report, const std::filesystem::path& ledger) {
  std::string text;
  for (const auto& file : report.already_ingested)
    text += fmt::format("ingest: {} is already in the ledger, skipped\n", file);
  if (report.files_read == 0) {
    text += fmt::format("ingest: nothing new; {} left unchanged\n", ledger.string());
    return text;
  }
  text += fmt::format("ingest: {} file(s), {} answers on {} items from {} annotators",
                      report.files_read, report.answers, report.items, report.annotators.size());
  if (report.earlier_answers > 0)
    text += fmt::format(" (+{} earlier answers on the same items)", report.earlier_answers);
  text += "\n";
  if (report.rejected > 0)
    text += fmt::format("rejected: {} record(s), listed in {}\n", report.rejected,
                        report.rejects_file ? report.rejects_file->string() : "-");
  text += fmt::format("consensus: {}", report.consensus);
  if (report.consensus == "dawid-skene")
    text += fmt::format(" ({} iterations{}, log-likelihood {:.3f})", report.iterations,
                        report.converged ? "" : ", NOT converged", report.log_likelihood);
  text += fmt::format("\nagreement: Fleiss' kappa {}, Krippendorff's alpha {}\n",
                      number(report.fleiss_kappa), number(report.krippendorff_alpha));
  text += fmt::format("{:<24} {:>8} {:>9} {:>14} {:>14}\n", "annotator", "answers", "gold acc",
                      "consensus acc", "estimated acc");
  for (const auto& row : report.annotators)
    text += fmt::format("{:<24} {:>8} {:>9} {:>14} {:>14}\n", row.name, row.answers,
                        number(row.gold_accuracy), number(row.consensus_accuracy),
                        number(row.estimated_accuracy));
  text += fmt::format(
      "ledger {} (round {}): {} added, {} changed, {} confirmed; {} below confidence {:.2f} sent "
      "to "
      "adjudication ({} waiting)\n",
      ledger.string(), report.ledger.round, report.ledger.added, report.ledger.changed,
      report.ledger.confirmed, report.unresolved, report.min_confidence, report.ledger.adjudicate);
  text += "time:";
  for (const auto& [phase, seconds] : report.timings_s)
    text += fmt::format(" {} {:.2f} s,", phase, seconds);
  text.back() = '\n';
  return text;
}

}  // namespace quarry::ingest

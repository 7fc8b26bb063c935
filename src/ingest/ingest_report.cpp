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

std::string answer_counts(const IngestReport& report) {
  if (report.repeated_answers == 0) return fmt::format("{} answers", report.answers);
  return fmt::format("{} new answers + {} repeated (already in the ledger)",
                     report.answers - report.repeated_answers, report.repeated_answers);
}

std::string kept_share(const AcceptanceCount& count) {
  const auto share = count.share();
  return share ? fmt::format("{:.1f}% ({}/{})", 100 * *share, count.kept, count.answers) : "-";
}

// How often the new answers kept the exported pre-label: overall, per suggested class, per
// annotator.
std::string acceptance_lines(const PrelabelAcceptance& acceptance) {
  std::string text = fmt::format("pre-labels kept unchanged: {}", kept_share(acceptance.overall));
  if (acceptance.without_prelabel > 0)
    text +=
        fmt::format(" ({} new answers on items without a pre-label)", acceptance.without_prelabel);
  text += "\n";
  for (const auto& [title, counts] : {std::pair{"  by class:", &acceptance.per_class},
                                      std::pair{"  by annotator:", &acceptance.per_annotator}}) {
    text += title;
    for (const auto& [name, count] : *counts)
      text += fmt::format(" {} {},", name, kept_share(count));
    if (text.back() == ',') text.pop_back();
    text += "\n";
  }
  return text;
}
// Consensus, agreement and the annotator table of a classification ingest.
std::string classification_lines(const IngestReport& report) {
  std::string text;
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
  return text;
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
  text += fmt::format("ingest: {} file(s), {} on {} items from {} annotators", report.files_read,
                      answer_counts(report), report.items, report.annotators.size());
  if (report.earlier_answers > 0)
    text += fmt::format(" (+{} earlier answers on the same items)", report.earlier_answers);
  text += "\n";
  if (report.rejected > 0)
    text += fmt::format("rejected: {} record(s), listed in {}\n", report.rejected,
                        report.rejects_file ? report.rejects_file->string() : "-");
  if (report.objects) {
    text += format_object_report(*report.objects);
  } else {
    text += classification_lines(report);
  }
  if (report.prelabel_acceptance) text += acceptance_lines(*report.prelabel_acceptance);
  text += fmt::format(
      "ledger {} (round {}): {} added, {} changed, {} confirmed; {} below confidence {:.2f} sent "
      "to "
      "adjudication ({} waiting)\n",
      ledger.string(), report.ledger.round, report.ledger.added, report.ledger.changed,
      report.ledger.confirmed, report.unresolved, report.min_confidence, report.ledger.adjudicate);
  if (report.ledger.flags_confirmed + report.ledger.flags_corrected > 0)
    text += fmt::format("flagged labels answered again: {} confirmed, {} corrected\n",
                        report.ledger.flags_confirmed, report.ledger.flags_corrected);
  text += "time:";
  for (const auto& [phase, seconds] : report.timings_s)
    text += fmt::format(" {} {:.2f} s,", phase, seconds);
  text.back() = '\n';
  return text;
}

}  // namespace quarry::ingest

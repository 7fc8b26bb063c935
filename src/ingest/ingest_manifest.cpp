#include "ingest/ingest_manifest.hpp"

#include <cmath>

#include "core/atomic_output.hpp"
#include "files/manifest/manifest.hpp"

namespace quarry::ingest {

namespace {
// JSON has no NaN: an undefined coefficient is null.
nlohmann::json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}
template <class T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json agreement_json(const IngestReport& report) {
  nlohmann::json annotators = nlohmann::json::object();
  for (const auto& row : report.annotators)
    annotators[row.name] = {{"answers", row.answers},
                            {"gold_accuracy", optional_json(row.gold_accuracy)},
                            {"consensus_accuracy", number_or_null(row.consensus_accuracy)},
                            {"estimated_accuracy", optional_json(row.estimated_accuracy)}};
  return {{"fleiss_kappa", number_or_null(report.fleiss_kappa)},
          {"krippendorff_alpha", number_or_null(report.krippendorff_alpha)},
          {"annotators", annotators}};
}

namespace {
nlohmann::json count_json(const AcceptanceCount& count) {
  return {
      {"answers", count.answers}, {"kept", count.kept}, {"share", optional_json(count.share())}};
}
nlohmann::json counts_json(const std::map<std::string, AcceptanceCount>& counts) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, count] : counts) json[name] = count_json(count);
  return json;
}
}  // namespace

nlohmann::json acceptance_json(const PrelabelAcceptance& acceptance) {
  nlohmann::json json = count_json(acceptance.overall);
  json["without_prelabel"] = acceptance.without_prelabel;
  json["per_class"] = counts_json(acceptance.per_class);
  json["per_annotator"] = counts_json(acceptance.per_annotator);
  return json;
}

std::unique_ptr<AtomicOutput> prepare_ingest_manifest(const IngestRequest& request,
                                                      const IngestReport& report,
                                                      const std::filesystem::path& ledger_content,
                                                      const AtomicOutput* rejects) {
  Manifest manifest("ingest");
  std::size_t n = 0;
  for (const auto& file : request.annotations)
    manifest.add_input("annotations/" + std::to_string(++n), file);
  manifest.add_input("pool", request.pool);
  n = 0;
  for (const auto& file : request.gold) manifest.add_input("gold/" + std::to_string(++n), file);
  n = 0;
  for (const auto& file : request.prelabels)
    manifest.add_input("prelabels/" + std::to_string(++n), file);
  if (!request.annotator_map.empty()) manifest.add_input("annotator_map", request.annotator_map);
  manifest.add_output("ledger", request.ledger, ledger_content);
  if (rejects) manifest.add_output("rejected", rejects->final_path(), rejects->temp_path());
  manifest.set_setting("format", format_name(request.format));
  manifest.set_setting("consensus", report.consensus);
  manifest.set_setting("min_confidence", request.min_confidence);
  manifest.set_setting("skip_bad", request.skip_bad);
  manifest.set_setting("round", report.ledger.round);
  if (!report.objects) manifest.set_setting("agreement", agreement_json(report));
  manifest.set_setting("counts", {{"files_read", report.files_read},
                                  {"already_ingested", report.already_ingested},
                                  {"answers", report.answers},
                                  {"new_answers", report.answers - report.repeated_answers},
                                  {"repeated_answers", report.repeated_answers},
                                  {"earlier_answers", report.earlier_answers},
                                  {"items", report.items},
                                  {"rejected", report.rejected},
                                  {"resolved", report.resolved},
                                  {"unresolved", report.unresolved},
                                  {"added", report.ledger.added},
                                  {"changed", report.ledger.changed},
                                  {"confirmed", report.ledger.confirmed},
                                  {"adjudicate", report.ledger.adjudicate}});
  manifest.set_setting("prelabel_acceptance", report.prelabel_acceptance
                                                  ? acceptance_json(*report.prelabel_acceptance)
                                                  : nlohmann::json(nullptr));
  if (report.objects) manifest.set_setting("objects", object_report_json(*report.objects));
  if (report.consensus == "dawid-skene")
    manifest.set_setting("dawid_skene",
                         {{"confusion_prior", confusion_prior_name(request.dawid_skene.prior)},
                          {"iterations", report.iterations},
                          {"converged", report.converged},
                          {"log_likelihood", report.log_likelihood},
                          {"class_priors", report.class_priors}});
  for (const auto& [phase, seconds] : report.timings_s) manifest.set_timing(phase, seconds);
  manifest.set_ranks(1);
  return manifest.prepare_for(request.ledger);
}

}  // namespace quarry::ingest

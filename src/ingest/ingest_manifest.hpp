#pragma once
// The ingest's manifest beside the ledger (LEDGER.manifest.json): the annotation files read
// (path, sha256), the pool, settings, and the batch's agreement and annotator reliability, so
// the round report and later stages can show them without recomputing.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/atomic_output.hpp"
#include "ingest/ingest_run.hpp"

namespace quarry::ingest {

nlohmann::json agreement_json(const IngestReport& report);
// {"answers", "kept", "share", "without_prelabel", "per_class": {name: {answers, kept, share}},
// "per_annotator": {...}}: what the round report and quarry cycle's stage record show.
nlohmann::json acceptance_json(const PrelabelAcceptance& acceptance);

// The manifest for the ledger whose new content is in `ledger_content` (its temporary file, or
// the ledger itself), written and flushed under a temporary name; the caller commits it.
std::unique_ptr<AtomicOutput> prepare_ingest_manifest(const IngestRequest& request,
                                                      const IngestReport& report,
                                                      const std::filesystem::path& ledger_content,
                                                      const AtomicOutput* rejects);

}  // namespace quarry::ingest

#pragma once
// The ingest's manifest beside the ledger (LEDGER.manifest.json): the annotation files read
// (path, sha256), the pool, settings, and the batch's agreement and annotator reliability, so
// the round report and later stages can show them without recomputing.
#include <nlohmann/json.hpp>

#include "ingest/ingest_run.hpp"

namespace quarry::ingest {

nlohmann::json agreement_json(const IngestReport& report);
void publish_ingest_manifest(const IngestRequest& request, const IngestReport& report);

}  // namespace quarry::ingest

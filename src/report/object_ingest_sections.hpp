#pragma once
// The report sections about ingests of objects (detection and keypoint pools): the last ingest's
// consensus, agreement between annotators (mean IoU and object F1 of matched boxes, keypoint OKS),
// each annotator against the consensus and gold, and the pre-label accounting (kept, adjusted,
// deleted, added) from the ledger manifest's "objects" (ingest/object_report.hpp writes it), and
// the same accounting round by round from each round's ingest.json.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "report/html_page.hpp"

namespace quarry::report {

// The HTML of the ledger manifest's settings.objects (escaped, tables).
std::string object_ingest_html(const nlohmann::json& objects);

// Agreement and pre-label accounting of every ingested batch up to `last_round`
// (rounds/NNNN/ingest.json, each batch's "objects").
void add_object_ingest_by_round_section(HtmlPage& page, const std::filesystem::path& workspace,
                                        int last_round);

}  // namespace quarry::report

#pragma once
// The report sections about ingests: the last ingest's agreement (Fleiss' kappa, Krippendorff's
// alpha), each annotator's reliability and pre-label acceptance, read from the ledger's manifest
// (LEDGER.manifest.json, written by quarry ingest), and pre-label acceptance round by round.
#include <filesystem>

#include "report/html_page.hpp"

namespace quarry::report {

void add_ingest_section(HtmlPage& page, const std::filesystem::path& ledger);

// Pre-label acceptance of each round's ingest up to `last_round` (rounds/NNNN/ingest.json, written
// by quarry cycle): the share of new answers that kept the exported pre-label.
void add_acceptance_by_round_section(HtmlPage& page, const std::filesystem::path& workspace,
                                     int last_round);

}  // namespace quarry::report

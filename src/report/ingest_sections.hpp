#pragma once
// The report section about the last ingest: agreement (Fleiss' kappa, Krippendorff's alpha)
// and each annotator's reliability, read from the ledger's manifest (LEDGER.manifest.json,
// written by quarry ingest).
#include <filesystem>

#include "report/html_page.hpp"

namespace quarry::report {

void add_ingest_section(HtmlPage& page, const std::filesystem::path& ledger);

}  // namespace quarry::report

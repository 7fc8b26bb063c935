#pragma once
// README.md inside the export folder: what is in it and, for each format written, how the
// annotation lead loads it into that tool and sends the answers back to `quarry ingest`.
#include <string>
#include <vector>

#include "export/export_batch.hpp"
#include "export/formats.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

std::string export_readme(const ExportBatch& batch, const std::vector<Format>& formats,
                          const FormatOptions& options);

}  // namespace quarry::exporting

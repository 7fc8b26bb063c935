#pragma once
// `quarry export`: gathers the batch (all input checks first), writes the images and every
// requested format into a temporary folder beside the output, publishes it by renaming it into
// place, and writes the manifest (counts, settings, sha256 of every file) next to it.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "export/formats.hpp"
#include "export/gather.hpp"

namespace quarry::exporting {

struct ExportRequest {
  ExportInputs inputs;
  std::vector<Format> formats;
  std::filesystem::path out;
  bool force = false;                              // replace an existing non-empty output folder
  std::optional<std::string> label_studio_prefix;  // default: local files of the output folder
  std::string sagemaker_prefix;
};

struct ExportSummary {
  std::size_t tasks = 0, selected = 0, adjudication = 0, gold = 0;
  std::size_t files = 0;
};

ExportSummary run_export(const ExportRequest& request);

// "<out>.gold.csv": `id,label` of the gold items mixed into the export at `out`, for
// `quarry ingest --gold`. Beside the folder, never inside it: annotators must not see it.
std::filesystem::path gold_file_for(const std::filesystem::path& out);

// "<out>.prelabels.csv": `id,predicted_class,probability` of every task, the guess annotators saw,
// for `quarry ingest --prelabels` (pre-label acceptance) whatever formats were exported.
std::filesystem::path prelabels_file_for(const std::filesystem::path& out);

}  // namespace quarry::exporting

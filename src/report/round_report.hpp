#pragma once
// The HTML report of one workspace round (DESIGN.md workspace contract), built only from the
// round's files: rounds/NNNN/{scores.h5, selection.h5, model.pt.manifest.json}, the ledger
// labels.h5 with its manifest (the last ingest's agreement) and earlier rounds' model manifests
// (the learning curve). Torch-free, so the round runner calls it after its select stage.
#include <filesystem>
#include <string>

#include "core/atomic_output.hpp"

namespace quarry::report {

struct RoundReportOptions {
  int thumbnails = 48;  // selected items shown, in pick order
  int bins = 30;        // score histogram
};

// Writes the report atomically. Parts whose files are missing (a round without selection yet,
// a workspace without evaluation pool) are shown as notes, not errors; a scores or selection
// file that exists but breaks its contract is an InputError naming it.
void write_round_report(const std::filesystem::path& workspace, int round,
                        const std::filesystem::path& out_html,
                        Overwrite overwrite = Overwrite::replace,
                        const RoundReportOptions& options = {});

// rounds/NNNN
std::filesystem::path round_folder(const std::filesystem::path& workspace, int round);

// The highest round number with a folder; InputError when there is none.
int newest_round(const std::filesystem::path& workspace);
}  // namespace quarry::report

#pragma once
// The workspace's learning curve: what each round's training measured on the evaluation pool
// (rounds/NNNN/model.pt.manifest.json, setting "eval") against the labels the ledger held for it.
// Classification rounds give accuracy; detection rounds COCO's AP@.5 and AP@[.5:.95] of the boxes,
// and keypoint rounds also the keypoints' OKS-AP.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "report/svg_chart.hpp"

namespace quarry::report {

// `labels_at_round[r]`: labeled items (images) the ledger held after round r's ingest. Rounds
// without an evaluation are skipped; series no round measured are left out, so an empty result
// means no round evaluated.
std::vector<LineSeries> workspace_curves(const std::filesystem::path& workspace, int last_round,
                                         const std::vector<std::size_t>& labels_at_round);

}  // namespace quarry::report

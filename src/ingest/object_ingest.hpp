#pragma once
// The object path of `quarry ingest` (detection and keypoint pools): read the new files' answers
// with their objects, run object consensus over them, measure agreement and pre-label use, and
// fill the ledger update (labels kObjectsOnly with their objects; unresolved items for
// adjudication). The classification path is untouched.
#include <filesystem>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "ingest/ingest_run.hpp"
#include "ingest/objects/object_answers.hpp"
#include "ingest/objects/object_pool.hpp"

namespace quarry::ingest {

// The pre-label objects of each item, from quarry export's object CSVs (--prelabels).
std::map<std::uint64_t, std::vector<objects::DrawnObject>> read_object_prelabels(
    const std::vector<std::filesystem::path>& files, const objects::ObjectPool& pool);

void decide_objects(const IngestRequest& request, const objects::ObjectPool& pool,
                    const objects::ObjectAnswers& answers,
                    const std::map<std::uint64_t, std::vector<objects::DrawnObject>>& prelabels,
                    LedgerUpdate& update, IngestReport& report);

}  // namespace quarry::ingest

#pragma once
// With --skip-bad, the records ingest rejected are written beside the ledger as
// LEDGER.round-NNNN.rejected.jsonl, one JSON object {file, where, problem} per line and one
// file per round, so none is lost.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/atomic_output.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

std::filesystem::path rejects_path(const std::filesystem::path& ledger, std::int32_t round);

// Writes and flushes the file under a temporary name; the caller commits it. Text from the
// annotation file (a quoted line, a name) is escaped where it is not UTF-8 (\xNN), so the
// rejected records are always written.
std::unique_ptr<AtomicOutput> prepare_rejects_file(const std::filesystem::path& ledger,
                                                   std::int32_t round,
                                                   const std::vector<RejectedRecord>& rejected);

}  // namespace quarry::ingest

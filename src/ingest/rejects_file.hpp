#pragma once
// With --skip-bad, the records ingest rejected are written beside the ledger as
// LEDGER.round-NNNN.rejected.jsonl, one JSON object {file, where, problem} per line and one
// file per round, so none is lost.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "ingest/readers/record.hpp"

namespace quarry::ingest {

std::filesystem::path rejects_path(const std::filesystem::path& ledger, std::int32_t round);

// Writes atomically; returns the path.
std::filesystem::path write_rejects_file(const std::filesystem::path& ledger, std::int32_t round,
                                         const std::vector<RejectedRecord>& rejected);

}  // namespace quarry::ingest

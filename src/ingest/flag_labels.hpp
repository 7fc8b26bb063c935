#pragma once
// Puts the labels an audit flagged into the ledger (issue 20, catching wrong labels): each joins
// /flags as pending and the adjudication list, so the next export sends the item out again first
// and the ingest of its answers settles the flag (ledger_flags.hpp). The ledger is written as
// ingest writes it: under the ledger lock, atomically, with its manifest.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "files/ledger/ledger_flags.hpp"

namespace quarry::ingest {

struct FlagSummary {
  std::size_t raised = 0;   // flags the audit gave
  std::size_t added = 0;    // new in the ledger (the others' items already had a pending flag)
  std::size_t pending = 0;  // flags waiting for answers afterwards
};

// `audit_file` (the audit's flags.csv, written after) is named in the manifest. Flagging the same
// audit again adds nothing and leaves the ledger untouched. The ledger's manifest (where ingest
// wrote one) keeps the last ingest's settings (the round report shows them) and adds "flags".
FlagSummary flag_labels(const std::filesystem::path& ledger, const std::vector<LabelFlag>& flags,
                        std::int32_t round, const std::filesystem::path& audit_file);

}  // namespace quarry::ingest

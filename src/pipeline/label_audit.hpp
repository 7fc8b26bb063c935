#pragma once
// Catching wrong labels after training (confident learning, audit/confident.hpp): the ledger's
// items are split into `audit_folds` folds (audit/folds.hpp); for each fold a fresh seeded model
// trains on the other folds' labels (quarry train, data-parallel over the ranks, the round's
// epoch budget) and scores the items it did not see (quarry score on a pool of just those,
// files/pool/subset.hpp), giving every ledger item a probability from a model that never saw its
// label. Items whose label is not their confident prediction are
// flagged. Torch-free header.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "comm/communicator.hpp"
#include "files/ledger/ledger_flags.hpp"
#include "pipeline/round_options.hpp"

namespace quarry::pipeline {

// The ledger's label (given), the confident out-of-fold prediction (suggested) and its
// probability: the ledger keeps them (files/ledger/ledger_flags.hpp).
using FlaggedLabel = ingest::LabelFlag;

struct LabelAuditResult {
  std::uint64_t audited = 0;  // ledger items
  std::vector<std::string> classes;
  std::vector<FlaggedLabel> flagged;  // ascending by id
};

// Collective; the result is rank 0's (the others get `audited` only). Works in `dir` (created;
// its fold files are removed afterwards). `round` seeds the fold models' training as the round's.
LabelAuditResult audit_labels(const comm::Communicator& world, const RoundSettings& settings,
                              int round, const std::filesystem::path& ledger,
                              const std::filesystem::path& dir);

// id,given,suggested,probability with class names (atomically).
void write_flags_csv(const std::filesystem::path& path, const LabelAuditResult& result);

}  // namespace quarry::pipeline

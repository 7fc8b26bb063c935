#pragma once
// The ledger's labeled items found in the pool, and their rows read from it: what the
// classification set (labeled_set) and the detection set (detection_set) both start from.
// Torch-free.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "files/pool/row_runs.hpp"
#include "files/pool/schema.hpp"

namespace quarry::train {

struct LedgerRows {
  ingest::Ledger ledger;
  std::vector<std::uint64_t> rows;  // the pool row of each ledger item, in ledger (id) order
};

// Reads the ledger and finds its items in `pool`. InputError (exit 2) for a missing or empty
// ledger, classes that differ from the pool's, or ids the pool does not have.
LedgerRows locate_ledger_items(const pool::PoolFile& pool, const std::filesystem::path& ledger);

// Rows `rows` (any order) of the pool's item dataset, read in chunk-friendly runs of pool order
// and returned in the order of `rows`.
template <class T>
std::vector<T> read_item_rows(const pool::PoolFile& pool, const std::vector<std::uint64_t>& rows);

}  // namespace quarry::train

#pragma once
// Items a selection must not pick: those already labeled (the ledger's /ids) and those exported
// earlier and still pending (earlier selection files, --exclude). For diversity strategies both
// also count as already covered: distances start from them.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "comm/communicator.hpp"

namespace quarry::select {

struct Exclusions {
  std::vector<std::uint64_t> labeled;  // sorted, unique
  std::vector<std::uint64_t> pending;  // sorted, unique
  bool excluded(std::uint64_t id) const;
  std::size_t size() const { return labeled.size() + pending.size(); }
};

// The ledger's /ids (uint64). The ingest stage owns the ledger; selection needs only its ids.
std::vector<std::uint64_t> read_ledger_ids(const std::filesystem::path& ledger);

// Reads the ledger (optional) and the selection files (InputError naming a bad file).
Exclusions read_exclusions(const std::optional<std::filesystem::path>& ledger,
                           const std::vector<std::filesystem::path>& selections);

// Collective: every labeled id must be an item of the scores file, otherwise the ledger belongs
// to another pool (InputError on every rank naming up to five unknown ids).
void check_ledger_matches(const comm::Communicator& comm, const std::vector<std::uint64_t>& labeled,
                          const std::vector<std::uint64_t>& shard_ids,
                          const std::filesystem::path& ledger, const std::filesystem::path& scores);

}  // namespace quarry::select

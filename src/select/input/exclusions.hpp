#pragma once
// Items a selection must not pick: those already labeled (the ledger's /ids) and those exported
// earlier and still pending (earlier selection files, --exclude). For diversity strategies both
// also count as already covered: distances start from them.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"

namespace quarry::select {

struct Exclusions {
  std::vector<std::uint64_t> labeled;       // sorted, unique
  std::vector<std::string> ledger_classes;  // class names of the ledger (empty when unlabeled)
  std::vector<std::uint64_t> pending;       // sorted, unique
  bool excluded(std::uint64_t id) const;
  std::size_t size() const { return labeled.size() + pending.size(); }
};

// Reads the ledger (optional; through ingest's reader: a missing ledger is an empty one) and the
// selection files (InputError naming a bad file).
Exclusions read_exclusions(const std::optional<std::filesystem::path>& ledger,
                           const std::vector<std::filesystem::path>& selections);

// Collective: the ledger's classes must be the scores file's and every labeled id an item of it,
// otherwise the ledger belongs to another pool or model (InputError on every rank naming up to
// five unknown ids).
void check_ledger_matches(const comm::Communicator& comm, const Exclusions& exclusions,
                          const std::vector<std::string>& scores_classes,
                          const std::vector<std::uint64_t>& shard_ids,
                          const std::filesystem::path& ledger, const std::filesystem::path& scores);

}  // namespace quarry::select

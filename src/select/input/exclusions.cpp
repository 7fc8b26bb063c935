#include "select/input/exclusions.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "files/ledger/ledger.hpp"
#include "files/selection/selection_file.hpp"

namespace quarry::select {

namespace {
void sort_unique(std::vector<std::uint64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}
}  // namespace

bool Exclusions::excluded(std::uint64_t id) const {
  return std::binary_search(labeled.begin(), labeled.end(), id) ||
         std::binary_search(pending.begin(), pending.end(), id);
}

Exclusions read_exclusions(const std::optional<std::filesystem::path>& ledger,
                           const std::vector<std::filesystem::path>& selections) {
  Exclusions exclusions;
  if (ledger) {
    auto labels = ingest::read_ledger(*ledger);
    exclusions.labeled = std::move(labels.ids);
    exclusions.ledger_classes = std::move(labels.classes);
  }
  for (const auto& path : selections) {
    const auto ids = read_selection(path).ids;
    exclusions.pending.insert(exclusions.pending.end(), ids.begin(), ids.end());
  }
  sort_unique(exclusions.labeled);
  sort_unique(exclusions.pending);
  return exclusions;
}

void check_ledger_matches(const comm::Communicator& comm, const Exclusions& exclusions,
                          const std::vector<std::string>& scores_classes,
                          const std::vector<std::uint64_t>& shard_ids,
                          const std::filesystem::path& ledger,
                          const std::filesystem::path& scores) {
  if (!exclusions.ledger_classes.empty() && exclusions.ledger_classes != scores_classes) {
    InputError error(
        ledger.string(), "attribute classes",
        fmt::format("[{}] differs from the scores file's classes [{}]",
                    fmt::join(exclusions.ledger_classes, ", "), fmt::join(scores_classes, ", ")),
        "the ledger and the scores file must come from the same pool");
    error.set_on_every_rank();
    throw error;
  }
  const auto& labeled = exclusions.labeled;
  std::vector<std::uint8_t> found(labeled.size(), 0);
  for (const auto id : shard_ids) {
    const auto at = std::lower_bound(labeled.begin(), labeled.end(), id);
    if (at != labeled.end() && *at == id) found[std::size_t(at - labeled.begin())] = 1;
  }
  comm.allreduce(std::span(found), comm::Op::max);
  std::vector<std::uint64_t> unknown;
  for (std::size_t i = 0; i < labeled.size(); ++i)
    if (!found[i]) unknown.push_back(labeled[i]);
  if (unknown.empty()) return;
  const std::size_t count = unknown.size();
  unknown.resize(std::min<std::size_t>(count, 5));
  InputError error(
      ledger.string(), "/ids",
      fmt::format("{} of {} labeled ids are not items of {} (ids {}{})", count, labeled.size(),
                  scores.string(), fmt::join(unknown, ", "), count > unknown.size() ? ", ..." : ""),
      "the ledger and the scores file must come from the same pool");
  error.set_on_every_rank();
  throw error;
}

}  // namespace quarry::select

#include "files/ledger/ledger_flags.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "files/ledger/columns.hpp"

namespace quarry::ingest {

std::size_t LabelFlags::pending_count() const {
  return static_cast<std::size_t>(
      std::count_if(resolved_round.begin(), resolved_round.end(), [](auto r) { return r < 0; }));
}

std::vector<std::uint64_t> add_flags(LabelFlags& flags, const std::vector<LabelFlag>& raised,
                                     std::int32_t round) {
  std::unordered_set<std::uint64_t> waiting;
  for (std::size_t i = 0; i < flags.size(); ++i)
    if (flags.pending(i)) waiting.insert(flags.ids[i]);
  std::vector<std::uint64_t> added;
  for (const auto& flag : raised) {
    if (!waiting.insert(flag.id).second) continue;  // the earlier flag still waits
    flags.ids.push_back(flag.id);
    flags.round.push_back(round);
    flags.given.push_back(flag.given);
    flags.suggested.push_back(flag.suggested);
    flags.probability.push_back(flag.probability);
    flags.resolved_round.push_back(-1);
    flags.resolved_label.push_back(-1);
    added.push_back(flag.id);
  }
  return added;
}

bool resolve_flag(LabelFlags& flags, std::uint64_t id, std::int32_t label, std::int32_t round) {
  for (std::size_t i = 0; i < flags.size(); ++i)
    if (flags.ids[i] == id && flags.pending(i)) {
      flags.resolved_round[i] = round;
      flags.resolved_label[i] = label;
      return true;
    }
  return false;
}

LabelFlags read_ledger_flags(const h5::File& file, std::size_t classes) {
  LabelFlags flags;
  if (!file.exists("/flags")) return flags;
  flags.ids = read_column<std::uint64_t>(file, "/flags/ids");
  flags.round = read_column<std::int32_t>(file, "/flags/round");
  flags.given = read_column<std::int32_t>(file, "/flags/given");
  flags.suggested = read_column<std::int32_t>(file, "/flags/suggested");
  flags.probability = read_column<float>(file, "/flags/probability");
  flags.resolved_round = read_column<std::int32_t>(file, "/flags/resolved_round");
  flags.resolved_label = read_column<std::int32_t>(file, "/flags/resolved_label");
  const std::size_t n = flags.ids.size();
  check_length(file, "/flags/round", flags.round.size(), n);
  check_length(file, "/flags/given", flags.given.size(), n);
  check_length(file, "/flags/suggested", flags.suggested.size(), n);
  check_length(file, "/flags/probability", flags.probability.size(), n);
  check_length(file, "/flags/resolved_round", flags.resolved_round.size(), n);
  check_length(file, "/flags/resolved_label", flags.resolved_label.size(), n);
  const auto is_class = [classes](std::int32_t c) {
    return c >= 0 && static_cast<std::size_t>(c) < classes;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const bool pending = flags.resolved_round[i] < 0;
    if (!is_class(flags.given[i]) || !is_class(flags.suggested[i]) ||
        pending != (flags.resolved_label[i] < 0) ||
        (!pending && !is_class(flags.resolved_label[i])))
      throw InputError(file.path().string(), fmt::format("/flags row {} (id {})", i, flags.ids[i]),
                       fmt::format("holds labels given {}, suggested {}, resolved {} in round {}: "
                                   "outside the {} classes or half resolved",
                                   flags.given[i], flags.suggested[i], flags.resolved_label[i],
                                   flags.resolved_round[i], classes));
  }
  return flags;
}

void write_ledger_flags(h5::File& file, const LabelFlags& flags) {
  if (flags.ids.empty()) return;  // ledgers without flags stay as they were
  file.create_group("/flags");
  write_column(file, "/flags/ids", flags.ids);
  write_column(file, "/flags/round", flags.round);
  write_column(file, "/flags/given", flags.given);
  write_column(file, "/flags/suggested", flags.suggested);
  write_column(file, "/flags/probability", flags.probability);
  write_column(file, "/flags/resolved_round", flags.resolved_round);
  write_column(file, "/flags/resolved_label", flags.resolved_label);
}

}  // namespace quarry::ingest

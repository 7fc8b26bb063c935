#pragma once
// Labels that confident learning flagged as likely wrong (issue 20), kept in the ledger with
// their outcome, so a flag is never lost between the audit that raised it and the answers that
// settle it:
//   /flags/{ids,round,given,suggested,probability,resolved_round,resolved_label}
// one row per flag, in the order they were raised; `round` is the audit's round, `given` the
// ledger's label then, `suggested` the confident out-of-fold prediction and `probability` its
// probability; `resolved_round` and `resolved_label` are -1 while the flag waits for answers,
// then the ingest round whose consensus labeled the item again and the label it gave (the same as
// `given`: the label was confirmed; another: it was corrected, the old one kept in /history).
// An item has at most one pending flag; once resolved it may be flagged again by a later audit.
// Ledgers written before flags existed have no /flags group: no flags.
#include <cstdint>
#include <vector>

#include "h5/file.hpp"

namespace quarry::ingest {

struct LabelFlag {
  std::uint64_t id = 0;
  std::int32_t given = 0;
  std::int32_t suggested = 0;
  float probability = 0;
};

struct LabelFlags {
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> round;
  std::vector<std::int32_t> given;
  std::vector<std::int32_t> suggested;
  std::vector<float> probability;
  std::vector<std::int32_t> resolved_round;  // -1: pending
  std::vector<std::int32_t> resolved_label;  // -1: pending

  std::size_t size() const { return ids.size(); }
  bool pending(std::size_t row) const { return resolved_round[row] < 0; }
  std::size_t pending_count() const;
};

// Adds the flags of the audit of `round` whose item has no pending flag yet; returns the ids
// added (ascending: the order of `flags`, which the audit sorts by id).
std::vector<std::uint64_t> add_flags(LabelFlags& flags, const std::vector<LabelFlag>& raised,
                                     std::int32_t round);

// An item labeled again in `round` with `label` settles its pending flag. Returns true when it
// had one.
bool resolve_flag(LabelFlags& flags, std::uint64_t id, std::int32_t label, std::int32_t round);

// Reads /flags (absent: none) and checks it against the ledger's `classes`.
LabelFlags read_ledger_flags(const h5::File& file, std::size_t classes);
void write_ledger_flags(h5::File& file, const LabelFlags& flags);

}  // namespace quarry::ingest

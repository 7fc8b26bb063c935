#pragma once
// The quality-control items an export adds from the label ledger: items the last ingest could
// not resolve (they go first, for adjudication) and gold items, whose labels are already known,
// mixed unmarked among the selected ones so ingest can measure each annotator's accuracy.
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "files/ledger/ledger.hpp"

namespace quarry::exporting {

struct GoldItem {
  std::uint64_t id = 0;
  std::int32_t label = 0;  // the ledger's label
};

struct QualityItems {
  std::vector<std::uint64_t> adjudicate;  // ledger order (ascending id)
  std::vector<GoldItem> gold;             // in the order they are mixed in
};

struct QualityRequest {
  const ingest::Ledger* ledger = nullptr;
  std::string ledger_name;  // its path, for messages
  double gold_rate = 0;
  std::uint64_t seed = 0;
  const std::vector<std::string>* classes = nullptr;  // the scores' class names
  // Pool rows of the selected and add_ledger_candidates ids that the pool holds.
  const std::unordered_map<std::uint64_t, std::uint64_t>* row_of = nullptr;
  const std::unordered_set<std::uint64_t>* selected = nullptr;
};

// The ledger ids an export may add: the adjudication list and, with gold, every labeled item.
void add_ledger_candidates(const ingest::Ledger& ledger, bool gold,
                           std::unordered_set<std::uint64_t>& ids);

// InputError when its classes are not the scores' or an adjudication id is
// not in the pool. Gold: round(gold_rate x selected) labeled items of the pool that are neither
// selected nor up for adjudication, picked by a hash of (seed, id); fewer when the ledger has
// fewer (logged).
QualityItems quality_items(const QualityRequest& request);

}  // namespace quarry::exporting

#include "export/quality_items.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/seeded.hpp"
#include "export/assignment.hpp"

namespace quarry::exporting {

namespace {
constexpr std::uint64_t kGoldSalt = 0x601d;
}

void add_ledger_candidates(const ingest::Ledger& ledger, bool gold,
                           std::unordered_set<std::uint64_t>& ids) {
  ids.insert(ledger.adjudicate.begin(), ledger.adjudicate.end());
  if (!gold) return;
  for (std::size_t r = 0; r < ledger.size(); ++r)
    if (ledger.labels[r] >= 0) ids.insert(ledger.ids[r]);
}

QualityItems quality_items(const QualityRequest& request) {
  QualityItems items;
  const std::string& name = request.ledger_name;
  const ingest::Ledger& ledger = *request.ledger;
  if (!ledger.classes.empty() && ledger.classes != *request.classes)
    throw InputError(
        name, "attribute classes",
        fmt::format("names classes [{}] but the scores file has [{}]",
                    fmt::join(ledger.classes, ", "), fmt::join(*request.classes, ", ")),
        "export with the ledger of this pool's workspace");
  for (const std::uint64_t id : ledger.adjudicate) {
    if (!request.row_of->contains(id))
      throw InputError(name, "/adjudicate/ids", fmt::format("id {} is not in the pool", id),
                       "export with the ledger of this pool's workspace");
    items.adjudicate.push_back(id);
  }
  if (request.gold_rate <= 0) return items;

  const auto wanted =
      static_cast<std::size_t>(std::llround(request.gold_rate * double(request.selected->size())));
  std::vector<std::pair<std::uint64_t, GoldItem>> candidates;  // (hash, item)
  for (std::size_t r = 0; r < ledger.size(); ++r) {
    const std::uint64_t id = ledger.ids[r];
    if (ledger.labels[r] < 0 || !request.row_of->contains(id) || request.selected->contains(id) ||
        std::binary_search(ledger.adjudicate.begin(), ledger.adjudicate.end(), id))
      continue;
    candidates.push_back({keyed_hash(request.seed, id, kGoldSalt), {id, ledger.labels[r]}});
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  if (candidates.size() < wanted)
    spdlog::warn("export: --gold-rate {} asks for {} gold items but the ledger {} has {} usable",
                 request.gold_rate, wanted, name, candidates.size());
  for (std::size_t i = 0; i < std::min(wanted, candidates.size()); ++i)
    items.gold.push_back(candidates[i].second);
  return items;
}

}  // namespace quarry::exporting

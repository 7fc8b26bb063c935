#include "ingest/consensus/votes.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace quarry::ingest {

std::vector<std::int32_t> Votes::count_table() const {
  std::vector<std::int32_t> counts(static_cast<std::size_t>(items) * classes, 0);
  for (const auto& vote : votes)
    ++counts[static_cast<std::size_t>(vote.item) * classes + vote.label];
  return counts;
}

void Votes::check() const {
  if (classes < 1) throw Error("consensus needs at least one class");
  if (!gold.empty() && gold.size() != static_cast<std::size_t>(items))
    throw Error(fmt::format("consensus: {} gold entries for {} items", gold.size(), items));
  for (const auto& vote : votes)
    if (vote.item < 0 || vote.item >= items || vote.annotator < 0 || vote.annotator >= annotators ||
        vote.label < 0 || vote.label >= classes)
      throw Error(fmt::format("consensus: vote (item {}, annotator {}, label {}) is out of range",
                              vote.item, vote.annotator, vote.label));
  for (auto g : gold)
    if (g != kNoGold && (g < 0 || g >= classes))
      throw Error(fmt::format("consensus: gold label {} is out of range", g));
}

}  // namespace quarry::ingest

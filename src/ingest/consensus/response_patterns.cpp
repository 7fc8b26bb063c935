#include "ingest/consensus/response_patterns.hpp"

#include <algorithm>
#include <map>

namespace quarry::ingest {

ResponsePatterns compress_patterns(const Votes& votes) {
  // Each item's answers in a canonical order, so equal multisets compare equal.
  std::vector<Vote> sorted = votes.votes;
  std::sort(sorted.begin(), sorted.end(), [](const Vote& a, const Vote& b) {
    return std::tie(a.item, a.annotator, a.label) < std::tie(b.item, b.annotator, b.label);
  });
  ResponsePatterns patterns;
  patterns.votes.classes = votes.classes;
  patterns.votes.annotators = votes.annotators;
  patterns.of_item.resize(static_cast<std::size_t>(votes.items));
  // Key: gold label, then (annotator, label) pairs. std::map keeps pattern numbering
  // independent of hashing, so results are reproducible bit for bit.
  std::map<std::vector<std::int32_t>, std::int32_t> index;
  std::vector<std::int32_t> key;
  std::size_t v = 0;
  for (std::int32_t item = 0; item < votes.items; ++item) {
    key.assign(1, votes.is_gold(item) ? votes.gold[static_cast<std::size_t>(item)] : kNoGold);
    for (; v < sorted.size() && sorted[v].item == item; ++v) {
      key.push_back(sorted[v].annotator);
      key.push_back(sorted[v].label);
    }
    auto [it, fresh] = index.emplace(key, patterns.votes.items);
    if (fresh) {
      const std::int32_t p = patterns.votes.items++;
      for (std::size_t k = 1; k < key.size(); k += 2)
        patterns.votes.votes.push_back({p, key[k], key[k + 1]});
      patterns.votes.gold.push_back(key[0]);
      patterns.weight.push_back(0.0);
    }
    patterns.weight[static_cast<std::size_t>(it->second)] += 1.0;
    patterns.of_item[static_cast<std::size_t>(item)] = it->second;
  }
  return patterns;
}

}  // namespace quarry::ingest

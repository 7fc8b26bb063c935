#include "ingest/build_votes.hpp"

#include <algorithm>
#include <filesystem>

namespace quarry::ingest {

namespace {
template <class T>
std::int32_t index_in(const std::vector<T>& sorted, const T& value) {
  return static_cast<std::int32_t>(std::lower_bound(sorted.begin(), sorted.end(), value) -
                                   sorted.begin());
}
}  // namespace

BatchVotes build_votes(const std::vector<CheckedAnswer>& answers, const Ledger& ledger,
                       std::int32_t classes, const std::map<std::uint64_t, std::int32_t>& gold) {
  std::set<std::uint64_t> items;
  std::set<std::pair<std::string, std::uint64_t>> answered;
  for (const auto& a : answers) {
    items.insert(a.answer.id);
    answered.emplace(a.answer.annotator, a.answer.id);
  }
  std::vector<Answer> all;
  all.reserve(answers.size());
  for (const auto& a : answers) all.push_back(a.answer);
  BatchVotes batch;
  const auto& raw = ledger.annotations;
  for (std::size_t i = 0; i < raw.ids.size(); ++i) {
    if (!items.count(raw.ids[i])) continue;
    const auto& name = raw.annotators[static_cast<std::size_t>(raw.annotator[i])];
    if (!answered.emplace(name, raw.ids[i]).second) continue;  // answered again now
    all.push_back({raw.ids[i], name, raw.label[i]});
    ++batch.earlier_answers;
  }

  std::set<std::string> names;
  for (const auto& a : all) names.insert(a.annotator);
  batch.item_ids.assign(items.begin(), items.end());
  batch.annotators.assign(names.begin(), names.end());
  batch.item_files.resize(batch.item_ids.size());
  auto& votes = batch.votes;
  votes.classes = classes;
  votes.items = static_cast<std::int32_t>(batch.item_ids.size());
  votes.annotators = static_cast<std::int32_t>(batch.annotators.size());
  for (const auto& a : all)
    votes.votes.push_back(
        {index_in(batch.item_ids, a.id), index_in(batch.annotators, a.annotator), a.label});
  for (const auto& a : answers)
    batch.item_files[static_cast<std::size_t>(index_in(batch.item_ids, a.answer.id))].insert(
        std::filesystem::path(a.file).filename().string());
  if (!gold.empty()) {
    votes.gold.assign(batch.item_ids.size(), kNoGold);
    for (std::size_t i = 0; i < batch.item_ids.size(); ++i)
      if (auto it = gold.find(batch.item_ids[i]); it != gold.end()) votes.gold[i] = it->second;
  }
  return batch;
}

}  // namespace quarry::ingest

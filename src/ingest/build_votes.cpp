#include "ingest/build_votes.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "core/text.hpp"

namespace quarry::ingest {

namespace {

template <class T>
std::int32_t index_in(const std::vector<T>& sorted, const T& value) {
  return static_cast<std::int32_t>(std::lower_bound(sorted.begin(), sorted.end(), value) -
                                   sorted.begin());
}

// Annotator names, sorted, and a lookup from name to index.
struct Names {
  std::vector<std::string> sorted;
  std::unordered_map<std::string, std::int32_t> index;

  void add(const std::string& name) { index.emplace(name, 0); }
  void finish() {
    for (const auto& [name, i] : index) sorted.push_back(name);
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i) index[sorted[i]] = static_cast<std::int32_t>(i);
  }
};

// One source string per item: the names of the new files that answered it.
std::vector<std::string> item_sources(const std::vector<CheckedAnswer>& answers,
                                      const std::vector<std::string>& files,
                                      const std::vector<std::uint64_t>& item_ids) {
  std::vector<std::string> names;
  for (const auto& file : files)
    names.push_back(escape_for_display(std::filesystem::path(file).filename().string()));
  // Most items are answered from one file; remember the first and list the others apart.
  std::vector<std::int32_t> first(item_ids.size(), -1);
  std::vector<std::pair<std::int32_t, std::int32_t>> more;  // (item, file)
  for (const auto& a : answers) {
    const auto item = static_cast<std::size_t>(index_in(item_ids, a.id));
    if (first[item] < 0)
      first[item] = a.file;
    else if (first[item] != a.file)
      more.emplace_back(static_cast<std::int32_t>(item), a.file);
  }
  std::vector<std::string> sources(item_ids.size());
  for (std::size_t i = 0; i < item_ids.size(); ++i)
    sources[i] = names[static_cast<std::size_t>(first[i])];
  std::sort(more.begin(), more.end());
  more.erase(std::unique(more.begin(), more.end()), more.end());
  for (const auto& [item, file] : more)
    sources[static_cast<std::size_t>(item)] += "," + names[static_cast<std::size_t>(file)];
  return sources;
}

// An answer as consensus sees it: batch annotator, item id, label, and the tool's task.
struct AnswerKey {
  std::int32_t annotator;
  std::int32_t label;
  std::uint64_t id;
  std::uint64_t task;
  bool operator==(const AnswerKey&) const = default;
};
struct AnswerKeyHash {
  std::size_t operator()(const AnswerKey& k) const {
    return std::hash<std::uint64_t>()(k.id * 1000003u + static_cast<std::uint64_t>(k.label) +
                                      k.task * 0x9E3779B97F4A7C15u) ^
           (static_cast<std::size_t>(k.annotator) << 20);
  }
};

// Which of `answers` are new: per file, an answer the held answers (the ledger's on these
// items, then those of earlier files) hold m times is new from its (m + 1)-th occurrence in the
// file on; afterwards it is held max(m, n) times. `batch_annotator` maps the checker's
// annotator indexes to the batch's.
std::vector<std::size_t> new_answer_indexes(const std::vector<CheckedAnswer>& answers,
                                            const std::vector<std::int32_t>& batch_annotator,
                                            const std::vector<AnswerKey>& earlier) {
  std::vector<std::size_t> fresh;
  // Nothing held and one file (a first ingest): every answer is new.
  if (earlier.empty() && (answers.empty() || answers.front().file == answers.back().file)) {
    fresh.resize(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i) fresh[i] = i;
    return fresh;
  }
  std::unordered_map<AnswerKey, std::size_t, AnswerKeyHash> held, in_file;
  for (const auto& key : earlier) ++held[key];
  for (std::size_t first = 0; first < answers.size();) {
    std::size_t last = first;
    in_file.clear();
    for (; last < answers.size() && answers[last].file == answers[first].file; ++last) {
      const auto& a = answers[last];
      const AnswerKey key{batch_annotator[static_cast<std::size_t>(a.annotator)], a.label, a.id,
                          a.task};
      const auto seen = ++in_file[key];
      const auto it = held.find(key);
      if (it == held.end() || seen > it->second) fresh.push_back(last);
    }
    for (const auto& [k, n] : in_file) held[k] = std::max(held[k], n);
    first = last;
  }
  return fresh;
}

}  // namespace

BatchVotes build_votes(const AnswerChecker& checker, const Ledger& ledger, std::int32_t classes,
                       const std::map<std::uint64_t, std::int32_t>& gold) {
  const auto& answers = checker.answers();
  BatchVotes batch;
  for (const auto& a : answers) batch.item_ids.push_back(a.id);
  std::sort(batch.item_ids.begin(), batch.item_ids.end());
  batch.item_ids.erase(std::unique(batch.item_ids.begin(), batch.item_ids.end()),
                       batch.item_ids.end());

  // Earlier answers on these items, from the ledger's raw annotations.
  const auto& raw = ledger.annotations;
  std::vector<std::size_t> earlier;
  for (std::size_t i = 0; i < raw.ids.size(); ++i)
    if (std::binary_search(batch.item_ids.begin(), batch.item_ids.end(), raw.ids[i]))
      earlier.push_back(i);

  Names names;
  for (const auto& name : checker.annotators()) names.add(name);
  for (auto i : earlier) names.add(raw.annotators[static_cast<std::size_t>(raw.annotator[i])]);
  names.finish();
  batch.annotators = names.sorted;
  std::vector<std::int32_t> batch_annotator;
  for (const auto& name : checker.annotators()) batch_annotator.push_back(names.index.at(name));

  std::vector<AnswerKey> held;
  for (auto i : earlier)
    held.push_back({names.index.at(raw.annotators[static_cast<std::size_t>(raw.annotator[i])]),
                    raw.label[i], raw.ids[i], raw.task[i]});
  batch.new_answers = new_answer_indexes(answers, batch_annotator, held);
  batch.repeated_answers = answers.size() - batch.new_answers.size();
  batch.earlier_answers = held.size();

  auto& votes = batch.votes;
  votes.classes = classes;
  votes.items = static_cast<std::int32_t>(batch.item_ids.size());
  votes.annotators = static_cast<std::int32_t>(batch.annotators.size());
  votes.votes.reserve(batch.new_answers.size() + held.size());
  for (auto i : batch.new_answers) {
    const auto& a = answers[i];
    votes.votes.push_back({index_in(batch.item_ids, a.id),
                           batch_annotator[static_cast<std::size_t>(a.annotator)], a.label});
  }
  for (const auto& key : held)
    votes.votes.push_back({index_in(batch.item_ids, key.id), key.annotator, key.label});
  if (!gold.empty()) {
    votes.gold.assign(batch.item_ids.size(), kNoGold);
    for (std::size_t i = 0; i < batch.item_ids.size(); ++i)
      if (auto it = gold.find(batch.item_ids[i]); it != gold.end()) votes.gold[i] = it->second;
  }
  batch.item_sources = item_sources(answers, checker.files(), batch.item_ids);
  return batch;
}

}  // namespace quarry::ingest

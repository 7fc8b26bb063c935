#include "ingest/build_votes.hpp"

#include <fmt/format.h>

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
    const auto item = static_cast<std::size_t>(index_in(item_ids, a.answer.id));
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

// Which of `answers` are new: per file, an (annotator, item, label) the held answers (the
// ledger's on these items, then those of earlier files) hold m times is new from its
// (m + 1)-th occurrence in the file on; afterwards it is held max(m, n) times.
std::vector<std::size_t> new_answer_indexes(const std::vector<CheckedAnswer>& answers,
                                            const RawAnnotations& raw,
                                            const std::vector<std::size_t>& earlier) {
  std::vector<std::size_t> fresh;
  // Nothing held and one file (a first ingest): every answer is new.
  if (earlier.empty() && (answers.empty() || answers.front().file == answers.back().file)) {
    for (std::size_t i = 0; i < answers.size(); ++i) fresh.push_back(i);
    return fresh;
  }
  const auto key = [](const std::string& annotator, std::uint64_t id, std::int32_t label) {
    return fmt::format("{}\n{}\n{}", id, label, annotator);
  };
  std::unordered_map<std::string, std::size_t> held, in_file;
  for (auto i : earlier)
    ++held[key(raw.annotators[static_cast<std::size_t>(raw.annotator[i])], raw.ids[i],
               raw.label[i])];
  for (std::size_t first = 0; first < answers.size();) {
    std::size_t last = first;
    in_file.clear();
    for (; last < answers.size() && answers[last].file == answers[first].file; ++last) {
      const auto& a = answers[last].answer;
      const auto k = key(a.annotator, a.id, a.label);
      const auto seen = ++in_file[k];
      const auto it = held.find(k);
      if (it == held.end() || seen > it->second) fresh.push_back(last);
    }
    for (const auto& [k, n] : in_file) held[k] = std::max(held[k], n);
    first = last;
  }
  return fresh;
}

}  // namespace

BatchVotes build_votes(const std::vector<CheckedAnswer>& answers,
                       const std::vector<std::string>& files, const Ledger& ledger,
                       std::int32_t classes, const std::map<std::uint64_t, std::int32_t>& gold) {
  BatchVotes batch;
  for (const auto& a : answers) batch.item_ids.push_back(a.answer.id);
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
  for (const auto& a : answers) names.add(a.answer.annotator);
  for (auto i : earlier) names.add(raw.annotators[static_cast<std::size_t>(raw.annotator[i])]);
  names.finish();
  batch.annotators = names.sorted;

  auto& votes = batch.votes;
  votes.classes = classes;
  votes.items = static_cast<std::int32_t>(batch.item_ids.size());
  votes.annotators = static_cast<std::int32_t>(batch.annotators.size());
  batch.new_answers = new_answer_indexes(answers, raw, earlier);
  batch.repeated_answers = answers.size() - batch.new_answers.size();
  for (auto i : batch.new_answers) {
    const auto& a = answers[i].answer;
    votes.votes.push_back({index_in(batch.item_ids, a.id), names.index.at(a.annotator), a.label});
  }
  for (auto i : earlier)
    votes.votes.push_back(
        {index_in(batch.item_ids, raw.ids[i]),
         names.index.at(raw.annotators[static_cast<std::size_t>(raw.annotator[i])]), raw.label[i]});
  batch.earlier_answers = earlier.size();
  if (!gold.empty()) {
    votes.gold.assign(batch.item_ids.size(), kNoGold);
    for (std::size_t i = 0; i < batch.item_ids.size(); ++i)
      if (auto it = gold.find(batch.item_ids[i]); it != gold.end()) votes.gold[i] = it->second;
  }
  batch.item_sources = item_sources(answers, files, batch.item_ids);
  return batch;
}

}  // namespace quarry::ingest

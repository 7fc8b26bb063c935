#pragma once
// Annotations in the dense form consensus works on: items, annotators and classes numbered
// 0..n-1, one vote per (item, annotator, answer). An annotator may answer an item more than
// once (Dawid and Skene's observer 1 rated every patient three times): each answer is a vote.
#include <cstdint>
#include <string>
#include <vector>

namespace quarry::ingest {

inline constexpr std::int32_t kNoGold = -1;

struct Vote {
  std::int32_t item = 0;
  std::int32_t annotator = 0;
  std::int32_t label = 0;
};

struct Votes {
  std::int32_t classes = 0;
  std::int32_t items = 0;
  std::int32_t annotators = 0;
  std::vector<Vote> votes;
  std::vector<std::int32_t> gold;  // per item: its known class, or kNoGold (empty: none known)

  bool is_gold(std::int32_t item) const {
    return !gold.empty() && gold[static_cast<std::size_t>(item)] != kNoGold;
  }
  // counts[item * classes + label]: how often each item got each label.
  std::vector<std::int32_t> count_table() const;
  // Throws Error when an index is out of range (a programming error, not bad input).
  void check() const;
};

// One label per item, with its confidence (posterior or vote share) and how many votes it had.
struct Consensus {
  std::vector<std::int32_t> label;
  std::vector<double> confidence;
  std::vector<std::int32_t> votes;
};

}  // namespace quarry::ingest

#pragma once
// Items that got exactly the same answers (the same annotators giving the same labels, and the
// same gold label or none) have the same Dawid-Skene posterior. EM therefore runs once per
// distinct response pattern, weighted by how many items share it: with a handful of
// annotators and classes, a batch of millions of items has at most a few thousand patterns.
// The result is exact, not an approximation.
#include <cstdint>
#include <vector>

#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

struct ResponsePatterns {
  Votes votes;                        // one "item" per pattern; gold per pattern
  std::vector<double> weight;         // items sharing each pattern
  std::vector<std::int32_t> of_item;  // item -> its pattern
};

ResponsePatterns compress_patterns(const Votes& votes);

}  // namespace quarry::ingest

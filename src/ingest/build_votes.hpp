#pragma once
// Numbers the items and annotators of one ingest for consensus. Earlier answers the ledger holds
// for the same items join in (an item sent back for adjudication is decided on all its answers,
// not only the adjudicator's); where an annotator answered an item again, the new answer wins.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "ingest/check_answers.hpp"
#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

struct BatchVotes {
  Votes votes;
  std::vector<std::uint64_t> item_ids;    // item index -> id, ascending
  std::vector<std::string> annotators;    // annotator index -> name, sorted
  std::vector<std::string> item_sources;  // file names (comma-separated) that answered each item
  std::size_t earlier_answers = 0;        // answers taken over from the ledger
};

// `files` are the annotation files that CheckedAnswer::file indexes.
BatchVotes build_votes(const std::vector<CheckedAnswer>& answers,
                       const std::vector<std::string>& files, const Ledger& ledger,
                       std::int32_t classes, const std::map<std::uint64_t, std::int32_t>& gold);

}  // namespace quarry::ingest

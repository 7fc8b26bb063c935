#pragma once
// Numbers the items and annotators of one ingest for consensus. Earlier answers the ledger holds
// for the same items join in (an item sent back for adjudication is decided on all its answers,
// not only the adjudicator's).
//
// Every answer counts, an annotator's repeated answers on one item too, as in Dawid and Skene's
// model: within a file each record is an answer. Across files, an answer a file repeats is one
// the ledger (or a file before it in this ingest) already holds: Label Studio and CVAT export
// the whole project or job every time, so the next round's file repeats every answer of the
// last. Each (annotator, item, label) therefore counts as often as the file holding it most
// often holds it: a file that holds it n times where m are held already adds max(0, n - m).
// Where the tool names its task (Label Studio), the task is part of the answer: a flagged item
// sent out again is a new task, so its answers count even where they repeat earlier ones, while
// a whole project exported again repeats its tasks. Where it names none (CSV, CVAT, Ground
// Truth), one case cannot be told from a cumulative export: the same annotator giving the same
// label again in a later file that holds nothing else of theirs on that item; it counts once.
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
  std::vector<std::size_t> new_answers;   // indexes of the checker's answers not held yet
  std::size_t repeated_answers = 0;       // answers that repeat ones held already
};

// The checker's answers (in file order) against what `ledger` holds.
BatchVotes build_votes(const AnswerChecker& checker, const Ledger& ledger, std::int32_t classes,
                       const std::map<std::uint64_t, std::int32_t>& gold);

}  // namespace quarry::ingest

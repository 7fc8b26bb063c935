#pragma once
// Earlier rounds' answers on the items of an ingest join its consensus, as in classification
// (build_votes.hpp): an item answered by one annotator per round, or by one CVAT job per file
// ingested apart, gets the consensus of all its answers. A new answer the ledger already holds
// word for word (same annotator, item and objects: a cumulative Label Studio export repeats every
// round) counts once and is not stored again.
#include <cstddef>

#include "files/ledger/ledger.hpp"
#include "ingest/objects/object_answers.hpp"

namespace quarry::ingest::objects {

struct EarlierAnswers {
  std::size_t earlier = 0;   // stored answers on the batch's items that joined its consensus
  std::size_t repeated = 0;  // new answers the ledger already held (not stored again)
};

// Adds the ledger's answers on `answers`' items to them, and drops the repeats from what the
// ledger will store (ledger_answers, ledger_objects).
EarlierAnswers add_earlier_answers(const Ledger& ledger, ObjectAnswers& answers);

}  // namespace quarry::ingest::objects

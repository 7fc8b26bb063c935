#pragma once
// Majority vote. The label is the class with the most votes; the confidence is its share of the
// item's votes. Ties go to the tied class with the most votes over the whole batch (the
// likelier class a priori), then to the lowest class index, so the result never depends on the
// order the annotations arrived in. Gold items keep their known label with confidence 1.
// Every answer is a vote, an annotator's repeated answers on one item too, as in Dawid and
// Skene's model (and in the majority vote their paper compares against: observer 1's three
// ratings of a patient are three votes).
#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

Consensus majority_vote(const Votes& votes);

}  // namespace quarry::ingest

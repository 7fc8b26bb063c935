#pragma once
// Majority vote. The label is the class with the most votes; the confidence is its share of the
// item's votes. Ties go to the tied class with the most votes over the whole batch (the
// likelier class a priori), then to the lowest class index, so the result never depends on the
// order the annotations arrived in. Gold items keep their known label with confidence 1.
#include "ingest/consensus/votes.hpp"

namespace quarry::ingest {

Consensus majority_vote(const Votes& votes);

}  // namespace quarry::ingest

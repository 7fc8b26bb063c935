#pragma once
// Pre-label acceptance: of the new answers on items that were exported with a pre-label, the
// share equal to it (the annotator kept the model's guess unchanged). Overall, by the class the
// model suggested, and by annotator. It is the direct measure of the labeling work the model
// saves, and should rise round after round as the model improves.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "ingest/prelabels.hpp"

namespace quarry::ingest {

struct AcceptanceCount {
  std::size_t answers = 0;              // answers on items with a pre-label
  std::size_t kept = 0;                 // of them, equal to the pre-label
  std::optional<double> share() const;  // kept / answers; none without answers
};

struct PrelabelAcceptance {
  AcceptanceCount overall;
  std::map<std::string, AcceptanceCount> per_class;  // by the pre-label's class name
  std::map<std::string, AcceptanceCount> per_annotator;
  std::size_t without_prelabel = 0;  // new answers on items no pre-label list names
};

// `answers`: this ingest's new answers (repeats of answers the ledger holds were measured when
// they were new). `classes`: the pool's class names.
PrelabelAcceptance measure_acceptance(const std::vector<Answer>& answers,
                                      const PreLabels& prelabels,
                                      const std::vector<std::string>& classes);

// Adds `more` to `total` (quarry cycle: one ingest per annotation format, one figure per round).
void add_acceptance(PrelabelAcceptance& total, const PrelabelAcceptance& more);

}  // namespace quarry::ingest

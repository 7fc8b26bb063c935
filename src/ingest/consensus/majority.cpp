#include "ingest/consensus/majority.hpp"

namespace quarry::ingest {

Consensus majority_vote(const Votes& votes) {
  votes.check();
  const auto counts = votes.count_table();
  const auto classes = static_cast<std::size_t>(votes.classes);
  std::vector<std::int64_t> batch_totals(classes, 0);
  for (std::size_t i = 0; i < counts.size(); ++i) batch_totals[i % classes] += counts[i];

  Consensus result;
  for (std::int32_t item = 0; item < votes.items; ++item) {
    const auto* row = counts.data() + static_cast<std::size_t>(item) * classes;
    std::int32_t total = 0, best = 0;
    for (std::size_t k = 0; k < classes; ++k) {
      total += row[k];
      const auto b = static_cast<std::size_t>(best);
      if (row[k] > row[b] || (row[k] == row[b] && batch_totals[k] > batch_totals[b]))
        best = static_cast<std::int32_t>(k);
    }
    double confidence = total > 0 ? static_cast<double>(row[best]) / total : 0.0;
    if (votes.is_gold(item)) {
      best = votes.gold[static_cast<std::size_t>(item)];
      confidence = 1.0;
    }
    result.label.push_back(best);
    result.confidence.push_back(confidence);
    result.votes.push_back(total);
  }
  return result;
}

}  // namespace quarry::ingest

#include "ingest/prelabel_acceptance.hpp"

namespace quarry::ingest {

std::optional<double> AcceptanceCount::share() const {
  if (answers == 0) return std::nullopt;
  return static_cast<double>(kept) / static_cast<double>(answers);
}

PrelabelAcceptance measure_acceptance(const std::vector<Answer>& answers,
                                      const PreLabels& prelabels,
                                      const std::vector<std::string>& classes) {
  PrelabelAcceptance acceptance;
  for (const auto& answer : answers) {
    const auto prelabel = prelabels.find(answer.id);
    if (prelabel == prelabels.end()) {
      ++acceptance.without_prelabel;
      continue;
    }
    const bool kept = answer.label == prelabel->second;
    for (auto* count :
         {&acceptance.overall, &acceptance.per_class[classes.at(std::size_t(prelabel->second))],
          &acceptance.per_annotator[answer.annotator]}) {
      ++count->answers;
      count->kept += kept ? 1 : 0;
    }
  }
  return acceptance;
}

void add_acceptance(PrelabelAcceptance& total, const PrelabelAcceptance& more) {
  const auto add = [](AcceptanceCount& into, const AcceptanceCount& count) {
    into.answers += count.answers;
    into.kept += count.kept;
  };
  add(total.overall, more.overall);
  for (const auto& [name, count] : more.per_class) add(total.per_class[name], count);
  for (const auto& [name, count] : more.per_annotator) add(total.per_annotator[name], count);
  total.without_prelabel += more.without_prelabel;
}

}  // namespace quarry::ingest

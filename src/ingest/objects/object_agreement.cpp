#include "ingest/objects/object_agreement.hpp"

namespace quarry::ingest::objects {

Comparison between_annotators(const std::vector<ItemAnswers>& items, double iou_threshold,
                              const std::vector<double>& sigmas) {
  Comparison total;
  for (const auto& item : items)
    for (std::size_t a = 0; a < item.answers.size(); ++a)
      for (std::size_t b = a + 1; b < item.answers.size(); ++b)
        total += compare(item.answers[a].objects, item.answers[b].objects, iou_threshold, sigmas);
  return total;
}

PerAnnotator against_reference(
    const std::vector<ItemAnswers>& items,
    const std::vector<std::optional<std::vector<DrawnObject>>>& references, std::int32_t annotators,
    double iou_threshold, const std::vector<double>& sigmas) {
  PerAnnotator out;
  out.scores.resize(static_cast<std::size_t>(annotators));
  out.answers.assign(static_cast<std::size_t>(annotators), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!references[i]) continue;
    for (const auto& answer : items[i].answers) {
      const auto a = static_cast<std::size_t>(answer.annotator);
      out.scores[a] += compare(*references[i], answer.objects, iou_threshold, sigmas);
      ++out.answers[a];
    }
  }
  return out;
}

}  // namespace quarry::ingest::objects

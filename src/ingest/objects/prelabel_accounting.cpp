#include "ingest/objects/prelabel_accounting.hpp"

#include "ingest/objects/iou_match.hpp"

namespace quarry::ingest::objects {

PrelabelCounts& PrelabelCounts::operator+=(const PrelabelCounts& other) {
  kept += other.kept;
  adjusted += other.adjusted;
  deleted += other.deleted;
  added += other.added;
  return *this;
}

PrelabelCounts account_prelabels(const std::vector<DrawnObject>& prelabels,
                                 const std::vector<DrawnObject>& answer, double iou_threshold) {
  PrelabelCounts counts;
  const auto pairs = match_objects(prelabels, answer, iou_threshold);
  for (const auto& pair : pairs) {
    const bool same = pair.iou >= kKeptIou && prelabels[pair.a].label == answer[pair.b].label;
    ++(same ? counts.kept : counts.adjusted);
  }
  counts.deleted = static_cast<std::int64_t>(prelabels.size() - pairs.size());
  counts.added = static_cast<std::int64_t>(answer.size() - pairs.size());
  return counts;
}

std::vector<PrelabelCounts> account_prelabels(
    const std::vector<ItemAnswers>& items,
    const std::vector<const std::vector<DrawnObject>*>& prelabels, std::int32_t annotators,
    double iou_threshold) {
  std::vector<PrelabelCounts> per(static_cast<std::size_t>(annotators));
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!prelabels[i]) continue;
    for (const auto& answer : items[i].answers)
      per[static_cast<std::size_t>(answer.annotator)] +=
          account_prelabels(*prelabels[i], answer.objects, iou_threshold);
  }
  return per;
}

}  // namespace quarry::ingest::objects

#pragma once
// What annotators did with the model's pre-labels, object by object: each answer's objects are
// matched to the item's pre-labels by IoU (iou_match.hpp). A matched pair with IoU >= 0.95 and
// the same class was kept; any other matched pair was adjusted; a pre-label matched by nothing
// was deleted; an object matched to no pre-label was added (a missed object).
#include <cstdint>
#include <vector>

#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

inline constexpr double kKeptIou = 0.95;

struct PrelabelCounts {
  std::int64_t kept = 0, adjusted = 0, deleted = 0, added = 0;

  PrelabelCounts& operator+=(const PrelabelCounts& other);
  std::int64_t prelabels() const { return kept + adjusted + deleted; }
};

PrelabelCounts account_prelabels(const std::vector<DrawnObject>& prelabels,
                                 const std::vector<DrawnObject>& answer, double iou_threshold);

// Per annotator (0..annotators-1), over items whose pre-labels are known (prelabels[i] non-null).
std::vector<PrelabelCounts> account_prelabels(
    const std::vector<ItemAnswers>& items,
    const std::vector<const std::vector<DrawnObject>*>& prelabels, std::int32_t annotators,
    double iou_threshold);

}  // namespace quarry::ingest::objects

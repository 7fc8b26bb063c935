#include "files/ledger/ledger_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/error.hpp"

namespace quarry::ingest {

void ObjectRows::add_object(const std::array<float, 4>& box, std::int32_t label,
                            std::span<const float> object_keypoints, float object_confidence) {
  boxes.insert(boxes.end(), box.begin(), box.end());
  labels.push_back(label);
  keypoints.insert(keypoints.end(), object_keypoints.begin(), object_keypoints.end());
  confidence.push_back(object_confidence);
  ++offsets.back();
}

void ObjectRows::append_row(const ObjectRows& from, std::size_t row, std::size_t keypoint_count) {
  const std::size_t begin = from.first(row), end = begin + from.objects(row),
                    k3 = keypoint_count * 3;
  boxes.insert(boxes.end(), from.boxes.begin() + 4 * begin, from.boxes.begin() + 4 * end);
  labels.insert(labels.end(), from.labels.begin() + begin, from.labels.begin() + end);
  keypoints.insert(keypoints.end(), from.keypoints.begin() + k3 * begin,
                   from.keypoints.begin() + k3 * end);
  confidence.insert(confidence.end(), from.confidence.begin() + begin,
                    from.confidence.begin() + end);
  offsets.push_back(offsets.back() + (end - begin));
}

bool ObjectRows::same_row(std::size_t row, const ObjectRows& other, std::size_t other_row,
                          std::size_t keypoint_count) const {
  const std::size_t n = objects(row);
  if (n != other.objects(other_row)) return false;
  const std::size_t a = first(row), b = other.first(other_row), k3 = keypoint_count * 3;
  return std::equal(boxes.begin() + 4 * a, boxes.begin() + 4 * (a + n),
                    other.boxes.begin() + 4 * b) &&
         std::equal(labels.begin() + a, labels.begin() + a + n, other.labels.begin() + b) &&
         std::equal(keypoints.begin() + k3 * a, keypoints.begin() + k3 * (a + n),
                    other.keypoints.begin() + k3 * b);
}

namespace {

void check_update(const LedgerObjects& objects, const ObjectUpdate& update,
                  std::size_t updated_items) {
  if (update.labels.rows() != updated_items)
    throw Error(fmt::format("ledger update: {} object rows for {} labels", update.labels.rows(),
                            updated_items));
  if (objects.present && objects.keypoint_names != update.keypoint_names)
    throw InputError("ledger", "attribute /objects/keypoint_names",
                     fmt::format("names {} keypoints but the pool has {}", objects.keypoint_count(),
                                 update.keypoint_names.size()),
                     "use the ledger that belongs to this pool");
}

}  // namespace

std::size_t merge_ledger_objects(LedgerObjects& objects, std::span<const std::uint64_t> old_ids,
                                 std::span<const std::int32_t> old_rounds,
                                 std::span<const std::uint64_t> new_ids,
                                 std::span<const std::uint64_t> updated_ids,
                                 const ObjectUpdate& update, std::int32_t round) {
  check_update(objects, update, updated_ids.size());
  objects.present = true;
  objects.keypoint_names = update.keypoint_names;
  const std::size_t k = objects.keypoint_count();
  std::unordered_map<std::uint64_t, std::size_t> update_row;
  for (std::size_t i = 0; i < updated_ids.size(); ++i) update_row[updated_ids[i]] = i;
  ObjectRows merged;
  std::size_t changed = 0;
  for (const std::uint64_t id : new_ids) {
    auto old = std::lower_bound(old_ids.begin(), old_ids.end(), id);
    const bool had = old != old_ids.end() && *old == id;
    const std::size_t old_row = static_cast<std::size_t>(old - old_ids.begin());
    auto fresh = update_row.find(id);
    if (fresh == update_row.end()) {
      merged.append_row(objects.current, old_row, k);
      continue;
    }
    if (had && !objects.current.same_row(old_row, update.labels, fresh->second, k)) {
      objects.history.append_row(objects.current, old_row, k);
      objects.history.ids.push_back(id);
      objects.history.round.push_back(old_rounds[old_row]);
      objects.history.replaced_in_round.push_back(round);
      ++changed;
    }
    merged.append_row(update.labels, fresh->second, k);
  }
  objects.current = std::move(merged);
  for (std::size_t row = 0; row < update.answers.rows(); ++row)
    objects.raw.append_row(update.answers, row, k);
  return changed;
}

}  // namespace quarry::ingest

#pragma once
// The ledger's objects (DESIGN.md "Ledger with objects"), for detection and keypoint pools. Only
// a ledger that holds objects has these groups; a classification ledger is written byte for byte
// as before.
//   /objects/{offsets uint64 [N+1] (aligned with /ids), boxes float32 [M,4] (xyxy, pool pixels),
//   labels int32 [M], keypoints float32 [M,K,3] (x, y, visibility 0/1/2; keypoint pools only),
//   confidence float32 [M]}; attribute keypoint_names on /objects (K names, may be empty).
//   /objects/history/{ids, round, replaced_in_round, offsets, boxes, labels, keypoints,
//   confidence}: one row per object set that a later ingest replaced (history row i owns objects
//   offsets[i]..offsets[i+1]), so no item's objects are silently replaced.
//   /annotations/objects/{offsets [A+1] (aligned with /annotations/ids), boxes, labels, keypoints,
//   confidence}: every annotator's own objects behind each raw answer (confidence: the tool's
//   score where it gives one, else 1), so consensus can be recomputed later.
// An item of such a ledger has /labels -1: its labels are its objects'.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace quarry::h5 {
class File;
}

namespace quarry::ingest {

// Label of a ledger row whose labels are its objects' (detection and keypoint ledgers).
inline constexpr std::int32_t kObjectsOnly = -1;

// Objects of consecutive rows as one ragged table (CSR): row i owns objects
// offsets[i]..offsets[i+1].
struct ObjectRows {
  std::vector<std::uint64_t> offsets{0};
  std::vector<float> boxes;          // 4 per object: x0, y0, x1, y1 in pool pixels
  std::vector<std::int32_t> labels;  // class index
  std::vector<float> keypoints;      // K*3 per object (x, y, visibility); empty for K = 0
  std::vector<float> confidence;     // one per object

  std::size_t rows() const { return offsets.size() - 1; }
  std::size_t total() const { return labels.size(); }
  std::size_t first(std::size_t row) const { return static_cast<std::size_t>(offsets[row]); }
  std::size_t objects(std::size_t row) const {
    return static_cast<std::size_t>(offsets[row + 1] - offsets[row]);
  }
  void add_row() { offsets.push_back(offsets.back()); }
  // Appends one object to the last row. `object_keypoints` holds K*3 values (none for K = 0).
  void add_object(const std::array<float, 4>& box, std::int32_t label,
                  std::span<const float> object_keypoints, float object_confidence);
  // Appends row `row` of `from` as a new row; `keypoint_count` is K.
  void append_row(const ObjectRows& from, std::size_t row, std::size_t keypoint_count);
  // Whether row `row` holds exactly the objects of `other`'s row `other_row` (boxes, labels and
  // keypoints; a confidence that moved alone is not a change of the objects).
  bool same_row(std::size_t row, const ObjectRows& other, std::size_t other_row,
                std::size_t keypoint_count) const;
};

struct ObjectHistory : ObjectRows {
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> round;  // the ingest that set the replaced objects
  std::vector<std::int32_t> replaced_in_round;
};

struct LedgerObjects {
  bool present = false;  // the ledger holds /objects (a detection or keypoint pool's)
  std::vector<std::string> keypoint_names;
  ObjectRows current;     // aligned with the ledger's ids
  ObjectHistory history;  // object sets replaced by later ingests
  ObjectRows raw;         // aligned with the raw answers (/annotations rows)

  std::size_t keypoint_count() const { return keypoint_names.size(); }
};

// What one ingest adds to a ledger with objects.
struct ObjectUpdate {
  std::vector<std::string> keypoint_names;  // the pool's
  ObjectRows labels;   // consensus objects, one row per LedgerUpdate::labels entry
  ObjectRows answers;  // each answer's own objects, one row per LedgerUpdate::answers entry
};

// Reads /objects and /annotations/objects (validated: sizes, offsets, labels below `classes`,
// finite boxes, visibility 0/1/2), for a ledger of `items` rows and `answers` raw answers.
LedgerObjects read_ledger_objects(const h5::File& file, std::size_t items, std::size_t answers,
                                  std::size_t classes);
void write_ledger_objects(h5::File& file, const LedgerObjects& objects);

// Rebuilds `objects.current` for the merged ledger ids: rows of updated items (`updated_ids`,
// aligned with `update.labels`' rows) from the update, others from the rows they had under
// `old_ids` (with `old_rounds`); an item whose objects differ moves its old set to the history.
// Appends the answers' objects. Returns the number of items whose objects changed.
std::size_t merge_ledger_objects(LedgerObjects& objects, std::span<const std::uint64_t> old_ids,
                                 std::span<const std::int32_t> old_rounds,
                                 std::span<const std::uint64_t> new_ids,
                                 std::span<const std::uint64_t> updated_ids,
                                 const ObjectUpdate& update, std::int32_t round);

}  // namespace quarry::ingest

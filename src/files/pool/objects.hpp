#pragma once
// Pools with objects (DESIGN.md "Pool file, tasks with objects", pool/2): the pool's task and its
// keypoint attributes, and the ground-truth objects as one ragged table (CSR) aligned with the
// pool's rows: /objects/offsets uint64 [N+1], /objects/boxes float32 [M,4] (x0,y0,x1,y1 in pixels
// of the stored image), /objects/labels int32 [M], /objects/keypoints float32 [M,K,3] (keypoint
// pools), and two extensions COCO evaluation needs: /objects/crowd uint8 [M] and /objects/area
// float32 [M]. Where items were letterboxed from larger images, /source/paths string [N] and
// /source/transform float32 [N,3] (scale, dx, dy: stored = original * scale + offset).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace quarry::pool {

class PoolFile;
struct PoolMeta;

enum class Task { classify, detect, keypoints };
// UsageError for anything but classify, detect or keypoints.
Task parse_task(const std::string& name);
const char* task_name(Task task);

inline constexpr const char* kObjectOffsets = "/objects/offsets";
inline constexpr const char* kObjectBoxes = "/objects/boxes";
inline constexpr const char* kObjectLabels = "/objects/labels";
inline constexpr const char* kObjectKeypoints = "/objects/keypoints";
inline constexpr const char* kObjectCrowd = "/objects/crowd";
inline constexpr const char* kObjectArea = "/objects/area";
inline constexpr const char* kSourcePaths = "/source/paths";
inline constexpr const char* kSourceTransform = "/source/transform";

// COCO's keypoint visibility: 0 not labelled (x = y = 0), 1 labelled but not visible, 2 visible.
inline constexpr float kNotLabelled = 0, kLabelledHidden = 1, kVisible = 2;
// The OKS sigma of every keypoint when a pool names none (attribute keypoint_sigmas). COCO's
// face keypoints have 0.025-0.035, but relative to a whole person's area; relative to the
// object's own box (a head) 0.05 gives OKS 0.5 at an error of 12% of the object's size.
inline constexpr double kDefaultKeypointSigma = 0.05;

struct TaskInfo {
  Task kind = Task::classify;
  std::vector<std::string> keypoint_names;              // K entries, keypoint pools only
  std::vector<std::array<std::int32_t, 2>> flip_pairs;  // keypoints that swap under a h-flip
  std::vector<std::array<std::int32_t, 2>> skeleton;    // optional, for drawing
  std::vector<double> keypoint_sigmas;  // K entries (OKS); kDefaultKeypointSigma where unnamed
  bool has_objects = false;             // the pool holds /objects (ground truth)
  // COCO category id of each class (attribute category_ids), so exports can map labels back;
  // empty unless the pool came from a COCO import.
  std::vector<std::int64_t> category_ids;

  std::size_t keypoints() const { return keypoint_names.size(); }
};

// Objects of consecutive pool rows. offsets are relative to the table: rows+1 entries,
// offsets[0] == 0; row i owns objects offsets[i]..offsets[i+1].
struct ObjectTable {
  std::vector<std::uint64_t> offsets{0};
  std::vector<float> boxes;          // 4 per object: x0, y0, x1, y1 (stored pixels)
  std::vector<std::int32_t> labels;  // class index, 0..classes-1
  std::vector<float> keypoints;      // K*3 per object (x, y, visibility); empty for detect
  std::vector<std::uint8_t> crowd;   // COCO iscrowd: 1 marks a crowd region
  std::vector<float> area;           // COCO's area in stored pixels; box area where none

  std::size_t rows() const { return offsets.size() - 1; }
  std::size_t total() const { return labels.size(); }
  std::size_t objects(std::size_t item) const {
    return static_cast<std::size_t>(offsets[item + 1] - offsets[item]);
  }
  std::size_t first(std::size_t item) const { return static_cast<std::size_t>(offsets[item]); }

  // Appends one object to the last row (after add_row). `keypoints` has K*3 values or none.
  void add_object(const std::array<float, 4>& box, std::int32_t label,
                  std::span<const float> object_keypoints = {}, bool is_crowd = false,
                  float object_area = -1);  // < 0: the box's area
  // Starts a new row with no objects yet.
  void add_row() { offsets.push_back(offsets.back()); }
  // Appends another table's rows after this one's.
  void append(const ObjectTable& other);
  // Rows [first, first+count) as a table of their own (offsets from 0).
  ObjectTable slice(std::size_t first, std::size_t count) const;
  void clear();
};

// Objects of rows [first_row, first_row+rows) in file order, validated (see check_objects).
// An empty table with `rows` empty rows where the pool has no objects.
ObjectTable read_objects(const PoolFile& pool, std::uint64_t first_row, std::uint64_t rows);

// Checks a table against the pool's shape and task: offsets monotone and ending at the table's
// size, boxes inside the W x H image with x0 < x1 and y0 < y1, labels in range, keypoint arrays
// K*3 with visibility 0/1/2, crowd 0/1, area >= 0. InputError naming `file`, the item id
// (ids[row]) and the problem.
void check_objects(const std::string& file, const PoolMeta& meta, const ObjectTable& table,
                   std::span<const std::uint64_t> ids);

// Where items came from (a COCO import's original images); empty where the pool has none.
struct SourceTable {
  std::vector<std::string> paths;
  std::vector<float> transform;  // 3 per item: scale, dx, dy (stored = original*scale + d)
};
SourceTable read_sources(const PoolFile& pool);

}  // namespace quarry::pool

#include "files/pool/objects.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "files/ledger/string_column.hpp"
#include "files/pool/schema.hpp"

namespace quarry::pool {

Task parse_task(const std::string& name) {
  for (Task task : {Task::classify, Task::detect, Task::keypoints})
    if (name == task_name(task)) return task;
  throw UsageError("task '" + name + "' is not one of classify, detect, keypoints");
}

const char* task_name(Task task) {
  switch (task) {
    case Task::classify:
      return "classify";
    case Task::detect:
      return "detect";
    case Task::keypoints:
      return "keypoints";
  }
  return "?";
}

void ObjectTable::add_object(const std::array<float, 4>& box, std::int32_t label,
                             std::span<const float> object_keypoints, bool is_crowd,
                             float object_area) {
  boxes.insert(boxes.end(), box.begin(), box.end());
  labels.push_back(label);
  keypoints.insert(keypoints.end(), object_keypoints.begin(), object_keypoints.end());
  crowd.push_back(is_crowd ? 1 : 0);
  area.push_back(object_area >= 0 ? object_area : (box[2] - box[0]) * (box[3] - box[1]));
  ++offsets.back();
}

void ObjectTable::append(const ObjectTable& other) {
  const std::uint64_t base = offsets.back();
  for (size_t row = 1; row < other.offsets.size(); ++row)
    offsets.push_back(base + other.offsets[row]);
  boxes.insert(boxes.end(), other.boxes.begin(), other.boxes.end());
  labels.insert(labels.end(), other.labels.begin(), other.labels.end());
  keypoints.insert(keypoints.end(), other.keypoints.begin(), other.keypoints.end());
  crowd.insert(crowd.end(), other.crowd.begin(), other.crowd.end());
  area.insert(area.end(), other.area.begin(), other.area.end());
}

ObjectTable ObjectTable::slice(std::size_t first_row, std::size_t count) const {
  ObjectTable part;
  const std::size_t begin = offsets[first_row], end = offsets[first_row + count];
  for (std::size_t row = first_row; row < first_row + count; ++row)
    part.offsets.push_back(offsets[row + 1] - begin);
  const std::size_t k3 = labels.empty() ? 0 : keypoints.size() / labels.size();
  auto copy = [&](const auto& from, auto& to, std::size_t width) {
    to.assign(from.begin() + begin * width, from.begin() + end * width);
  };
  copy(boxes, part.boxes, 4);
  copy(labels, part.labels, 1);
  copy(keypoints, part.keypoints, k3);
  copy(crowd, part.crowd, 1);
  copy(area, part.area, 1);
  return part;
}

void ObjectTable::clear() {
  offsets.assign(1, 0);
  boxes.clear();
  labels.clear();
  keypoints.clear();
  crowd.clear();
  area.clear();
}

namespace {

// The problem with one object, or empty.
std::string object_problem(const ObjectTable& table, size_t object, const PoolMeta& meta,
                           size_t keypoint_count) {
  const float* box = &table.boxes[4 * object];
  const double width = double(meta.shape.dims[2]), height = double(meta.shape.dims[1]);
  for (int i = 0; i < 4; ++i)
    if (!std::isfinite(box[i])) return "has a box coordinate that is not a finite number";
  if (!(box[0] < box[2] && box[1] < box[3]))
    return fmt::format("has box ({},{},{},{}) without x0 < x1 and y0 < y1", box[0], box[1], box[2],
                       box[3]);
  if (box[0] < 0 || box[1] < 0 || box[2] > width || box[3] > height)
    return fmt::format("has box ({},{},{},{}) outside the {}x{} image", box[0], box[1], box[2],
                       box[3], width, height);
  const std::int32_t label = table.labels[object];
  if (label < 0 || label >= static_cast<std::int32_t>(meta.classes.size()))
    return fmt::format("has label {}, outside 0..{} ({} classes)", label,
                       static_cast<long>(meta.classes.size()) - 1, meta.classes.size());
  if (table.crowd[object] > 1)
    return fmt::format("has crowd {}, not 0 or 1", int(table.crowd[object]));
  if (!(table.area[object] >= 0) || !std::isfinite(table.area[object]))
    return fmt::format("has area {}, not a finite number >= 0", table.area[object]);
  for (size_t k = 0; k < keypoint_count; ++k) {
    const float* point = &table.keypoints[(object * keypoint_count + k) * 3];
    if (!std::isfinite(point[0]) || !std::isfinite(point[1]))
      return fmt::format("keypoint {} is not a finite position", k);
    if (point[2] != kNotLabelled && point[2] != kLabelledHidden && point[2] != kVisible)
      return fmt::format("keypoint {} has visibility {}, not 0, 1 or 2", k, point[2]);
  }
  return {};
}

std::string sizes_problem(const ObjectTable& table, size_t keypoint_count) {
  const size_t m = table.labels.size();
  if (table.offsets.empty() || table.offsets.front() != 0) return "offsets do not start at 0";
  if (table.boxes.size() != 4 * m || table.crowd.size() != m || table.area.size() != m)
    return fmt::format("boxes, crowd and area do not hold one entry per object ({} objects)", m);
  if (table.keypoints.size() != keypoint_count * 3 * m)
    return fmt::format("keypoints hold {} values, {} objects x {} keypoints x 3 need {}",
                       table.keypoints.size(), m, keypoint_count, keypoint_count * 3 * m);
  return {};
}

}  // namespace

void check_objects(const std::string& file, const PoolMeta& meta, const ObjectTable& table,
                   std::span<const std::uint64_t> ids) {
  const size_t keypoint_count = meta.task.kind == Task::keypoints ? meta.task.keypoints() : 0;
  if (std::string problem = sizes_problem(table, keypoint_count); !problem.empty())
    throw InputError(file, "/objects", problem);
  if (ids.size() != table.rows())
    throw Error(fmt::format("check_objects: {} ids for {} rows", ids.size(), table.rows()));
  for (size_t row = 0; row < table.rows(); ++row) {
    const auto begin = table.offsets[row], end = table.offsets[row + 1];
    if (end < begin || end > table.total())
      throw InputError(file, fmt::format("{}: item {}", kObjectOffsets, ids[row]),
                       fmt::format("offsets {}..{} are not monotone within the {} objects", begin,
                                   end, table.total()));
    for (auto object = begin; object < end; ++object)
      if (std::string problem = object_problem(table, object, meta, keypoint_count);
          !problem.empty())
        throw InputError(
            file, fmt::format("/objects: item {}, object {}", ids[row], object - begin), problem);
  }
  if (table.offsets.back() != table.total())
    throw InputError(
        file, kObjectOffsets,
        fmt::format("end at {}, not at the {} objects", table.offsets.back(), table.total()));
}

ObjectTable read_objects(const PoolFile& pool, std::uint64_t first_row, std::uint64_t rows) {
  const PoolMeta& meta = pool.meta();
  if (first_row + rows > meta.count)
    throw Error(fmt::format("read_objects: rows {}..{} of a pool of {}", first_row,
                            first_row + rows, meta.count));
  ObjectTable table;
  table.offsets.assign(rows + 1, 0);
  if (!meta.task.has_objects || rows == 0) return table;
  const h5::File& file = pool.file();
  std::vector<std::uint64_t> offsets(rows + 1);
  file.open_dataset(kObjectOffsets).read_rows<std::uint64_t>(first_row, rows + 1, offsets);
  const std::uint64_t base = offsets.front(), end = offsets.back();
  std::vector<std::uint64_t> ids(rows);
  pool.ids().read_rows<std::uint64_t>(first_row, rows, ids);
  const std::string name = pool.path().string();
  // Offsets were checked to start at 0 and end at M on open; within, they must never decrease.
  for (std::uint64_t row = 0; row < rows; ++row) {
    if (offsets[row + 1] < offsets[row])
      throw InputError(
          name, fmt::format("{}: item {}", kObjectOffsets, ids[row]),
          fmt::format("offsets decrease ({} then {})", offsets[row], offsets[row + 1]));
    table.offsets[row + 1] = offsets[row + 1] - base;
  }
  const std::uint64_t m = end - base;
  const size_t keypoint_count = meta.task.kind == Task::keypoints ? meta.task.keypoints() : 0;
  table.boxes.resize(4 * m);
  table.labels.resize(m);
  table.keypoints.resize(keypoint_count * 3 * m);
  if (m > 0) {
    file.open_dataset(kObjectBoxes).read_rows<float>(base, m, table.boxes);
    file.open_dataset(kObjectLabels).read_rows<std::int32_t>(base, m, table.labels);
    if (keypoint_count > 0)
      file.open_dataset(kObjectKeypoints).read_rows<float>(base, m, table.keypoints);
  }
  // crowd and area extend the DESIGN contract: a pool written without them has no crowd regions
  // and box areas.
  if (file.exists(kObjectCrowd)) {
    table.crowd.resize(m);
    if (m > 0) file.open_dataset(kObjectCrowd).read_rows<std::uint8_t>(base, m, table.crowd);
  } else {
    table.crowd.assign(m, 0);
  }
  if (file.exists(kObjectArea)) {
    table.area.resize(m);
    if (m > 0) file.open_dataset(kObjectArea).read_rows<float>(base, m, table.area);
  } else {
    table.area.resize(m);
    for (std::uint64_t i = 0; i < m; ++i) {
      const float* box = &table.boxes[4 * i];
      table.area[i] = (box[2] - box[0]) * (box[3] - box[1]);
    }
  }
  check_objects(name, meta, table, ids);
  return table;
}

SourceTable read_sources(const PoolFile& pool) {
  SourceTable sources;
  if (!pool.meta().has_sources) return sources;
  sources.paths = ingest::read_string_column(pool.file(), kSourcePaths);
  sources.transform = pool.file().open_dataset(kSourceTransform).read_all<float>();
  return sources;
}

}  // namespace quarry::pool

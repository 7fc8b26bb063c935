#include "files/pool/objects_file.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "files/ledger/string_column.hpp"

namespace quarry::pool {

namespace {

std::vector<std::array<std::int32_t, 2>> read_pairs(const h5::File& file, const char* name) {
  if (!h5::has_attribute(file.id(), name)) return {};
  std::vector<hsize_t> dims;
  auto values = h5::read_array_attribute<std::int32_t>(file.id(), name, &dims);
  if (values.empty()) return {};
  if (dims.size() != 2 || dims[1] != 2)
    throw InputError(
        file.path().string(), fmt::format("attribute {}", name),
        fmt::format("has shape [{}], the contract needs int32 [P,2]", fmt::join(dims, ",")));
  std::vector<std::array<std::int32_t, 2>> pairs(values.size() / 2);
  for (size_t i = 0; i < pairs.size(); ++i) pairs[i] = {values[2 * i], values[2 * i + 1]};
  return pairs;
}

void write_pairs(const h5::File& file, const char* name,
                 const std::vector<std::array<std::int32_t, 2>>& pairs) {
  std::vector<std::int32_t> values;
  for (const auto& pair : pairs) values.insert(values.end(), pair.begin(), pair.end());
  h5::write_array_attribute<std::int32_t>(file.id(), name, {pairs.size(), 2}, values);
}

// The dataset at `name` must be `type` with dims {rows, rest...}.
h5::Dataset open_shaped(const h5::File& file, const char* name, const std::string& type,
                        std::vector<hsize_t> want) {
  h5::Dataset dataset = file.open_dataset(name);
  if (dataset.stored_type() != type || dataset.dims() != want)
    throw InputError(
        file.path().string(), name,
        fmt::format("must be {} [{}], found {} with shape [{}]", type, fmt::join(want, ","),
                    dataset.stored_type(), fmt::join(dataset.dims(), ",")));
  return dataset;
}

void check_object_datasets(const h5::File& file, const PoolMeta& meta) {
  const std::string name = file.path().string();
  h5::Dataset offsets = open_shaped(file, kObjectOffsets, "uint64", {meta.count + 1});
  std::uint64_t first = 0, last = 0;
  offsets.read_rows<std::uint64_t>(0, 1, std::span(&first, 1));
  offsets.read_rows<std::uint64_t>(meta.count, 1, std::span(&last, 1));
  const hsize_t m = file.open_dataset(kObjectLabels).rows();
  if (first != 0 || last != m)
    throw InputError(
        name, kObjectOffsets,
        fmt::format("run from {} to {}; they must run from 0 to the {} objects", first, last, m));
  open_shaped(file, kObjectLabels, "int32", {m});
  open_shaped(file, kObjectBoxes, "float32", {m, 4});
  if (meta.task.kind == Task::keypoints)
    open_shaped(file, kObjectKeypoints, "float32", {m, meta.task.keypoints(), 3});
  if (file.exists(kObjectCrowd)) open_shaped(file, kObjectCrowd, "uint8", {m});
  if (file.exists(kObjectArea)) open_shaped(file, kObjectArea, "float32", {m});
}

template <class T>
void write_column(h5::File& file, const char* name, const std::vector<hsize_t>& dims,
                  const std::vector<T>& values) {
  // Chunks of 64 Ki rows: a shard's objects are read as one range.
  h5::Dataset dataset = file.create_dataset<T>(name, dims, {65536, 0});
  if (dims[0] > 0) dataset.write_rows<T>(0, dims[0], values);
  dataset.close();
}

void check_pairs(const std::string& file, const char* what,
                 const std::vector<std::array<std::int32_t, 2>>& pairs, size_t k) {
  for (const auto& pair : pairs)
    for (std::int32_t index : pair)
      if (index < 0 || index >= static_cast<std::int32_t>(k))
        throw InputError(file, fmt::format("attribute {}", what),
                         fmt::format("pair ({},{}) names a keypoint outside 0..{} ({} keypoints)",
                                     pair[0], pair[1], static_cast<long>(k) - 1, k));
}

}  // namespace

void check_task_info(const std::string& file, const TaskInfo& task, const ItemShape& shape) {
  const size_t k = task.keypoints();
  if (task.kind != Task::classify && shape.kind != Kind::images)
    throw InputError(
        file, "attribute task",
        fmt::format("is '{}', which needs an image pool, not features", task_name(task.kind)));
  if (task.kind == Task::keypoints && k == 0)
    throw InputError(file, "attribute keypoint_names", "is missing or empty in a keypoints pool");
  if (task.kind != Task::keypoints && k > 0)
    throw InputError(file, "attribute keypoint_names",
                     fmt::format("names keypoints in a '{}' pool", task_name(task.kind)));
  check_pairs(file, "flip_pairs", task.flip_pairs, k);
  check_pairs(file, "skeleton", task.skeleton, k);
  if (task.keypoint_sigmas.size() != k)
    throw InputError(file, "attribute keypoint_sigmas",
                     fmt::format("has {} values for {} keypoints", task.keypoint_sigmas.size(), k));
  for (double sigma : task.keypoint_sigmas)
    if (!(sigma > 0) || !std::isfinite(sigma))
      throw InputError(file, "attribute keypoint_sigmas",
                       fmt::format("holds {}; sigmas must be positive", sigma));
}

void read_task_info(const h5::File& file, PoolMeta& meta) {
  const std::string name = file.path().string();
  TaskInfo& task = meta.task;
  if (h5::has_attribute(file.id(), "task")) {
    const std::string text = h5::read_string_attribute(file.id(), "task");
    try {
      task.kind = parse_task(text);
    } catch (const UsageError&) {
      throw InputError(name, "attribute task",
                       "is '" + text + "', not one of classify, detect, keypoints");
    }
  }
  if (h5::has_attribute(file.id(), "keypoint_names"))
    task.keypoint_names = h5::read_strings_attribute(file.id(), "keypoint_names");
  task.flip_pairs = read_pairs(file, "flip_pairs");
  task.skeleton = read_pairs(file, "skeleton");
  if (h5::has_attribute(file.id(), "keypoint_sigmas"))
    task.keypoint_sigmas = h5::read_array_attribute<double>(file.id(), "keypoint_sigmas");
  else
    task.keypoint_sigmas.assign(task.keypoints(), kDefaultKeypointSigma);
  if (h5::has_attribute(file.id(), "category_ids"))
    task.category_ids = h5::read_array_attribute<std::int64_t>(file.id(), "category_ids");
  if (!task.category_ids.empty() && task.category_ids.size() != meta.classes.size())
    throw InputError(
        name, "attribute category_ids",
        fmt::format("has {} ids for {} classes", task.category_ids.size(), meta.classes.size()));
  check_task_info(name, task, meta.shape);
  task.has_objects = file.exists("/objects");
  if (task.has_objects && task.kind == Task::classify)
    throw InputError(name, "/objects", "holds objects but the pool's task is classify");
  if (task.has_objects) check_object_datasets(file, meta);
  meta.has_sources = file.exists("/source");
  if (meta.has_sources) {
    open_shaped(file, kSourceTransform, "float32", {meta.count, 3});
    if (file.open_dataset(kSourcePaths).dims() != std::vector<hsize_t>{meta.count})
      throw InputError(name, kSourcePaths, fmt::format("must hold {} strings", meta.count));
  }
}

void write_task_info(const h5::File& file, const TaskInfo& task) {
  h5::write_attribute(file.id(), "task", std::string(task_name(task.kind)));
  if (!task.category_ids.empty())
    h5::write_array_attribute<std::int64_t>(file.id(), "category_ids", {task.category_ids.size()},
                                            task.category_ids);
  if (task.kind != Task::keypoints) return;
  h5::write_attribute(file.id(), "keypoint_names", task.keypoint_names);
  write_pairs(file, "flip_pairs", task.flip_pairs);
  if (!task.skeleton.empty()) write_pairs(file, "skeleton", task.skeleton);
  h5::write_array_attribute<double>(file.id(), "keypoint_sigmas", {task.keypoint_sigmas.size()},
                                    task.keypoint_sigmas);
}

void write_objects(h5::File& file, const ObjectTable& objects, std::size_t keypoint_count) {
  const hsize_t m = objects.total();
  write_column(file, kObjectOffsets, {objects.offsets.size()}, objects.offsets);
  write_column(file, kObjectBoxes, {m, 4}, objects.boxes);
  write_column(file, kObjectLabels, {m}, objects.labels);
  if (keypoint_count > 0)
    write_column(file, kObjectKeypoints, {m, keypoint_count, 3}, objects.keypoints);
  write_column(file, kObjectCrowd, {m}, objects.crowd);
  write_column(file, kObjectArea, {m}, objects.area);
}

void write_sources(h5::File& file, const SourceTable& sources) {
  file.create_group("/source");
  ingest::write_string_column(file, kSourcePaths, sources.paths);
  const hsize_t n = sources.paths.size();
  write_column(file, kSourceTransform, {n, 3}, sources.transform);
}

}  // namespace quarry::pool

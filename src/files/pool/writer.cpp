#include "files/pool/writer.hpp"

#include <fmt/format.h>

#include "files/pool/objects_file.hpp"

namespace quarry::pool {

namespace {
std::vector<hsize_t> dataset_dims(const PoolSpec& spec) {
  std::vector<hsize_t> dims{spec.count};
  dims.insert(dims.end(), spec.shape.dims.begin(), spec.shape.dims.end());
  return dims;
}
}  // namespace

PoolWriter::PoolWriter(const std::filesystem::path& out, Overwrite overwrite, PoolSpec spec)
    : spec_(std::move(spec)),
      output_(out, overwrite),
      file_(h5::File::create(output_.temp_path())),
      items_(spec_.shape.kind == Kind::images
                 ? file_.create_dataset<std::uint8_t>(
                       kImages, dataset_dims(spec_),
                       {default_chunk_rows(spec_.shape.bytes()), spec_.gzip_level})
                 : file_.create_dataset<float>(
                       kFeatures, dataset_dims(spec_),
                       {default_chunk_rows(spec_.shape.bytes()), spec_.gzip_level})),
      ids_(file_.create_dataset<std::uint64_t>(kIds, {spec_.count},
                                               {default_chunk_rows(spec_.shape.bytes())})) {
  if (spec_.task.kind == Task::keypoints && spec_.task.keypoint_sigmas.empty())
    spec_.task.keypoint_sigmas.assign(spec_.task.keypoints(), kDefaultKeypointSigma);
  check_task_info(spec_.source, spec_.task, spec_.shape);
  if (spec_.has_labels)
    labels_.emplace(file_.create_dataset<std::int32_t>(kLabels, {spec_.count},
                                                       {default_chunk_rows(spec_.shape.bytes())}));
  all_ids_.reserve(spec_.count);
  if (spec_.has_labels) all_labels_.reserve(spec_.count);
}

template <class T>
void PoolWriter::append_rows(std::span<const T> values, std::span<const std::uint64_t> ids,
                             std::span<const std::int32_t> labels) {
  const std::uint64_t rows = ids.size();
  if (written_ + rows > spec_.count)
    throw Error(fmt::format("pool writer: {} items appended to a pool of {}", written_ + rows,
                            spec_.count));
  if (values.size() != rows * spec_.shape.elements() ||
      labels.size() != (spec_.has_labels ? rows : 0))
    throw Error("pool writer: batch sizes do not match the pool's item shape");
  items_.write_rows<T>(written_, rows, values);
  ids_.write_rows<std::uint64_t>(written_, rows, ids);
  if (labels_) labels_->write_rows<std::int32_t>(written_, rows, labels);
  all_ids_.insert(all_ids_.end(), ids.begin(), ids.end());
  all_labels_.insert(all_labels_.end(), labels.begin(), labels.end());
  written_ += rows;
}

void PoolWriter::append(std::span<const std::uint8_t> pixels, std::span<const std::uint64_t> ids,
                        std::span<const std::int32_t> labels) {
  if (spec_.shape.kind != Kind::images) throw Error("pool writer: pixels given to a feature pool");
  append_rows(pixels, ids, labels);
}

void PoolWriter::append(std::span<const float> features, std::span<const std::uint64_t> ids,
                        std::span<const std::int32_t> labels) {
  if (spec_.shape.kind != Kind::features)
    throw Error("pool writer: features given to an image pool");
  append_rows(features, ids, labels);
}

void PoolWriter::append_objects(const ObjectTable& objects) {
  if (!spec_.task.has_objects) throw Error("pool writer: objects given to a pool without objects");
  objects_.append(objects);
}

void PoolWriter::append_sources(std::span<const std::string> paths,
                                std::span<const float> transform) {
  if (!spec_.has_sources) throw Error("pool writer: sources given to a pool without sources");
  if (transform.size() != 3 * paths.size())
    throw Error("pool writer: a source transform needs 3 values (scale, dx, dy) per item");
  sources_.paths.insert(sources_.paths.end(), paths.begin(), paths.end());
  sources_.transform.insert(sources_.transform.end(), transform.begin(), transform.end());
}

void PoolWriter::finish_objects() {
  if (spec_.task.has_objects) {
    if (objects_.rows() != written_)
      throw Error(
          fmt::format("pool writer: objects for {} of {} items", objects_.rows(), written_));
    PoolMeta meta;
    meta.count = spec_.count;
    meta.shape = spec_.shape;
    meta.classes = spec_.classes;
    meta.task = spec_.task;
    check_objects(spec_.source, meta, objects_, all_ids_);
    write_objects(file_, objects_, spec_.task.kind == Task::keypoints ? spec_.task.keypoints() : 0);
  }
  if (spec_.has_sources) {
    if (sources_.paths.size() != written_)
      throw Error(
          fmt::format("pool writer: sources for {} of {} items", sources_.paths.size(), written_));
    write_sources(file_, sources_);
  }
  write_task_info(file_, spec_.task);
}

void PoolWriter::finish() {
  const std::string name = output_.final_path().string();
  if (written_ != spec_.count)
    throw Error(
        fmt::format("pool writer: {} of {} items written to {}", written_, spec_.count, name));
  check_unique_ids(spec_.source, all_ids_);
  if (spec_.has_labels) check_label_range(spec_.source, all_labels_, spec_.classes.size());
  finish_objects();
  h5::write_attribute(file_.id(), "quarry_format", std::string(kFormat));
  h5::write_attribute(file_.id(), "classes", spec_.classes);
  h5::write_attribute(file_.id(), "source", spec_.source);
  file_.flush();
  // Close every object before the file, so nothing is written after the publishing fsync.
  items_.close();
  ids_.close();
  if (labels_) labels_->close();
  file_.close();
  output_.commit();
}

}  // namespace quarry::pool

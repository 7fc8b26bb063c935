#include "ingest/objects/object_pool.hpp"

#include "files/pool/schema.hpp"

namespace quarry::ingest::objects {

ObjectPool ObjectPool::open(const std::filesystem::path& path) {
  auto file = pool::PoolFile::open(path);
  const auto& meta = file.meta();
  ObjectPool p;
  p.path_ = path.string();
  p.classes_ = meta.classes;
  p.task_ = meta.task;
  p.height_ = static_cast<double>(meta.shape.dims.at(1));
  p.width_ = static_cast<double>(meta.shape.dims.at(2));
  const auto ids = file.ids().read_all<std::uint64_t>();
  for (std::size_t row = 0; row < ids.size(); ++row) p.rows_.emplace(ids[row], row);
  if (meta.has_sources) p.sources_ = pool::read_sources(file);
  if (meta.task.has_objects) p.truth_ = pool::read_objects(file, 0, meta.count);
  return p;
}

std::size_t ObjectPool::keypoint_count() const {
  return task_.kind == pool::Task::keypoints ? task_.keypoints() : 0;
}

std::optional<std::size_t> ObjectPool::row_of(std::uint64_t id) const {
  const auto it = rows_.find(id);
  if (it == rows_.end()) return std::nullopt;
  return it->second;
}

pool::SourceTransform ObjectPool::transform(std::size_t row) const {
  return pool::source_transform(sources_, row);
}

std::optional<std::vector<DrawnObject>> ObjectPool::truth(std::uint64_t id) const {
  const auto row = row_of(id);
  if (!row || !task_.has_objects) return std::nullopt;
  std::vector<DrawnObject> objects;
  const std::size_t k3 = keypoint_count() * 3;
  for (std::size_t o = truth_.first(*row); o < truth_.first(*row) + truth_.objects(*row); ++o) {
    DrawnObject object;
    for (int c = 0; c < 4; ++c) object.box[c] = truth_.boxes[4 * o + c];
    object.label = truth_.labels[o];
    object.keypoints.assign(truth_.keypoints.begin() + k3 * o,
                            truth_.keypoints.begin() + k3 * (o + 1));
    objects.push_back(std::move(object));
  }
  return objects;
}

bool pool_has_object_task(const std::filesystem::path& pool) {
  return pool::PoolFile::open(pool).meta().task.kind != pool::Task::classify;
}

}  // namespace quarry::ingest::objects

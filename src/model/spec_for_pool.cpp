#include <cmath>

#include "files/pool/shard_reader.hpp"
#include "model/builtin.hpp"

namespace quarry::model {

namespace {

// The architecture fits the pool: image pools for the convolutional ones, pools with objects
// for the detector (and only for it), at least 2 classes for a classifier.
void check_arch(const std::filesystem::path& pool, const pool::PoolMeta& meta,
                const std::string& arch) {
  const bool images = meta.shape.kind == pool::Kind::images;
  const bool objects = meta.task.kind != pool::Task::classify;
  if (arch != "small-cnn" && arch != "mlp" && arch != "centernet-small")
    throw UsageError("--arch '" + arch + "' is not one of small-cnn, mlp, centernet-small");
  if (arch != "mlp" && !images)
    throw UsageError("--arch " + arch + " needs an image pool; " + pool.string() +
                     " holds features: use --arch mlp");
  if (objects && arch != "centernet-small")
    throw UsageError("--arch " + arch + " is a classifier; " + pool.string() + "'s task is " +
                     pool::task_name(meta.task.kind) + ": use --arch centernet-small");
  if (!objects && arch == "centernet-small")
    throw UsageError(
        "--arch centernet-small needs a pool with objects (task detect or "
        "keypoints); " +
        pool.string() + "'s task is classify: use --arch small-cnn");
  const std::size_t least = objects ? 1 : 2;
  if (meta.classes.size() < least)
    throw InputError(
        pool.string(), "attribute classes",
        "names " + std::to_string(meta.classes.size()) + " class(es); " +
            (objects ? "a detector needs at least 1" : "a classifier needs at least 2"));
}

}  // namespace

ModelSpec spec_for_pool(const std::filesystem::path& pool, const std::string& arch,
                        std::uint64_t seed, std::uint64_t sample) {
  pool::PoolMeta meta = pool::PoolFile::open(pool).meta();
  const bool images = meta.shape.kind == pool::Kind::images;
  check_arch(pool, meta, arch);
  ModelSpec spec;
  spec.arch = arch;
  spec.input_shape.assign(meta.shape.dims.begin(), meta.shape.dims.end());
  spec.classes = static_cast<std::int64_t>(meta.classes.size());
  spec.seed = seed;
  spec.scale = images ? 1.0 / 255.0 : 1.0;
  spec.task = pool::task_name(meta.task.kind);
  spec.keypoints = static_cast<std::int64_t>(meta.task.keypoints());
  // The detector's heads see every cell: light dropout keeps its MC passes informative without
  // starving the heatmaps of signal.
  if (arch == "centernet-small") spec.dropout = 0.1;

  // Mean and standard deviation of the scaled inputs over the first items (one pass).
  pool::ShardReader reader(pool, {0, std::min(sample, meta.count)}, 1024);
  double sum = 0, sum_sq = 0, n = 0;
  while (const pool::Batch* batch = reader.next()) {
    const std::uint64_t elements = batch->count * meta.shape.elements();
    for (std::uint64_t i = 0; i < elements; ++i) {
      const double v =
          (images ? double(batch->pixels[i]) : double(batch->features[i])) * spec.scale;
      sum += v, sum_sq += v * v;
    }
    n += double(elements);
  }
  spec.mean = n > 0 ? sum / n : 0.0;
  spec.std = n > 0 ? std::sqrt(std::max(1e-12, sum_sq / n - spec.mean * spec.mean)) : 1.0;
  return spec;
}

}  // namespace quarry::model

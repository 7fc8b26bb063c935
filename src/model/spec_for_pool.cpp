#include <cmath>

#include "files/pool/shard_reader.hpp"
#include "model/builtin.hpp"

namespace quarry::model {

ModelSpec spec_for_pool(const std::filesystem::path& pool, const std::string& arch,
                        std::uint64_t seed, std::uint64_t sample) {
  pool::PoolMeta meta = pool::PoolFile::open(pool).meta();
  const bool images = meta.shape.kind == pool::Kind::images;
  if (arch != "small-cnn" && arch != "mlp")
    throw UsageError("--arch '" + arch + "' is not one of small-cnn, mlp");
  if (arch == "small-cnn" && !images)
    throw UsageError("--arch small-cnn needs an image pool; " + pool.string() +
                     " holds features: use --arch mlp");
  if (meta.classes.size() < 2)
    throw InputError(pool.string(), "attribute classes",
                     "names " + std::to_string(meta.classes.size()) +
                         " class(es); a classifier needs at least 2");
  ModelSpec spec;
  spec.arch = arch;
  spec.input_shape.assign(meta.shape.dims.begin(), meta.shape.dims.end());
  spec.classes = static_cast<std::int64_t>(meta.classes.size());
  spec.seed = seed;
  spec.scale = images ? 1.0 / 255.0 : 1.0;

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

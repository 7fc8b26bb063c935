#include "select/input/target_density.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"

namespace quarry::select {

std::vector<float> target_weights(const Shard& shard, const std::filesystem::path& target) {
  auto file = score::ScoresFile::open(target);
  const auto& meta = file.meta();
  if (meta.embedding_dim != shard.dim() || meta.count == 0)
    throw InputError(target.string(), score::kEmbeddings,
                     fmt::format("has {} items of {} values; the scores file's embeddings have {}",
                                 meta.count, meta.embedding_dim, shard.dim()),
                     "score the target domain with the same model as the pool");
  const auto embeddings = file.embeddings().read_all<Float16>();
  const auto ids = file.ids().read_all<std::uint64_t>();
  const auto bad = rows_not_finite(embeddings, shard.dim(), ids);
  if (!bad.empty())
    throw InputError(target.string(), score::kEmbeddings,
                     fmt::format("item {} has infinite or NaN values", bad.front()));

  // The target's spread, in float64 and the same order on every rank.
  const std::size_t dim = shard.dim(), m = meta.count;
  std::vector<float> values(m * dim);
  distance_kernels().widen(embeddings.data(), values.size(), values.data());
  std::vector<double> centroid(dim, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < dim; ++j) centroid[j] += values[i * dim + j];
  for (auto& value : centroid) value /= double(m);
  double spread = 0;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < dim; ++j)
      spread += (values[i * dim + j] - centroid[j]) * (values[i * dim + j] - centroid[j]);
  spread = std::max(spread / double(m), 1e-12);

  std::vector<std::uint32_t> nearest(shard.size());
  std::vector<float> d2(shard.size());
  nearest_centers(shard.embeddings, embeddings, dim, nearest, d2);
  std::vector<float> weight(shard.size());
  for (std::size_t row = 0; row < shard.size(); ++row)
    weight[row] = float(std::max(1e-6, std::exp(-double(d2[row]) / (2 * spread))));
  return weight;
}

}  // namespace quarry::select

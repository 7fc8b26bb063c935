#include "train/labeled_set.hpp"

#include <numeric>

#include "core/sha256.hpp"
#include "train/ledger_rows.hpp"

namespace quarry::train {

std::size_t LabeledSet::elements() const {
  return static_cast<std::size_t>(
      std::accumulate(item_shape.begin(), item_shape.end(), std::int64_t{1}, std::multiplies<>()));
}

LabeledSet load_labeled_set(const std::filesystem::path& pool_path,
                            const std::filesystem::path& ledger_path) {
  const auto pool = pool::PoolFile::open(pool_path);
  const auto& meta = pool.meta();
  auto found = locate_ledger_items(pool, ledger_path);
  LabeledSet set;
  set.ids = std::move(found.ledger.ids);
  set.labels = std::move(found.ledger.labels);  // in range: read_ledger checks them
  set.confidence = std::move(found.ledger.confidence);
  set.item_shape.assign(meta.shape.dims.begin(), meta.shape.dims.end());
  set.classes = meta.classes;
  if (meta.shape.kind == pool::Kind::images)
    set.pixels = read_item_rows<std::uint8_t>(pool, found.rows);
  else
    set.features = read_item_rows<float>(pool, found.rows);
  set.ledger_sha256 = sha256_file(ledger_path);
  return set;
}

}  // namespace quarry::train

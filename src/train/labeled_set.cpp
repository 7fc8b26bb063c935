#include "train/labeled_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "files/ledger/ledger.hpp"
#include "files/pool/row_runs.hpp"
#include "files/pool/schema.hpp"

namespace quarry::train {

std::size_t LabeledSet::elements() const {
  return static_cast<std::size_t>(
      std::accumulate(item_shape.begin(), item_shape.end(), std::int64_t{1}, std::multiplies<>()));
}

LabeledSet load_labeled_set(const std::filesystem::path& pool_path,
                            const std::filesystem::path& ledger_path) {
  const std::string ledger_name = ledger_path.string();
  if (!std::filesystem::exists(ledger_path))
    throw InputError(ledger_name, "", "no such ledger file",
                     "ingest annotations first (quarry ingest) or check the path");
  const auto ledger = ingest::read_ledger(ledger_path);
  if (ledger.size() == 0)
    throw InputError(ledger_name, "/labels", "holds no labels: there is nothing to train on",
                     "ingest annotations first (quarry ingest)");
  const auto pool = pool::PoolFile::open(pool_path);
  const auto& meta = pool.meta();
  if (!ledger.classes.empty() && ledger.classes != meta.classes)
    throw InputError(ledger_name, "attribute classes",
                     fmt::format("are {}, the pool's are {}", fmt::join(ledger.classes, ","),
                                 fmt::join(meta.classes, ",")),
                     "train with the pool the ledger's labels came from");

  // Map ids to pool rows: one pass over the pool's ids.
  const auto pool_ids = pool.ids().read_all<std::uint64_t>();
  std::vector<std::uint64_t> order(pool_ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::uint64_t a, std::uint64_t b) { return pool_ids[a] < pool_ids[b]; });
  LabeledSet set;
  std::vector<std::uint64_t> rows, missing;
  for (std::size_t i = 0; i < ledger.size(); ++i) {
    const auto id = ledger.ids[i];
    auto at =
        std::lower_bound(order.begin(), order.end(), id,
                         [&](std::uint64_t row, std::uint64_t v) { return pool_ids[row] < v; });
    if (at == order.end() || pool_ids[*at] != id) {
      missing.push_back(id);
      continue;
    }
    rows.push_back(*at);
    set.ids.push_back(id);
    set.labels.push_back(ledger.labels[i]);  // in range: read_ledger checks it
    set.confidence.push_back(ledger.confidence[i]);
  }
  if (!missing.empty())
    throw InputError(
        ledger_name, "/ids",
        fmt::format("{} labeled id(s) are not in the pool {}: {}{}", missing.size(),
                    pool_path.string(),
                    fmt::join(missing.begin(),
                              missing.begin() + std::min<long>(10, long(missing.size())), ", "),
                    missing.size() > 10 ? ", ..." : ""),
        "train with the pool the ledger's labels came from");

  // Read the labeled rows in pool order (chunk-friendly runs), then put them in id order.
  std::vector<std::size_t> by_row(rows.size());
  std::iota(by_row.begin(), by_row.end(), 0);
  std::sort(by_row.begin(), by_row.end(),
            [&](std::size_t a, std::size_t b) { return rows[a] < rows[b]; });
  std::vector<std::uint64_t> sorted_rows(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) sorted_rows[i] = rows[by_row[i]];
  set.item_shape.assign(meta.shape.dims.begin(), meta.shape.dims.end());
  set.classes = meta.classes;
  const std::size_t width = set.elements();
  auto scatter = [&](const auto& in_row_order, auto& out) {
    out.resize(rows.size() * width);
    for (std::size_t i = 0; i < rows.size(); ++i)
      std::copy_n(in_row_order.begin() + static_cast<long>(i * width), width,
                  out.begin() + static_cast<long>(by_row[i] * width));
  };
  if (meta.shape.kind == pool::Kind::images)
    scatter(pool::read_sorted_rows<std::uint8_t>(pool.items(), sorted_rows), set.pixels);
  else
    scatter(pool::read_sorted_rows<float>(pool.items(), sorted_rows), set.features);
  set.ledger_sha256 = sha256_file(ledger_path);
  return set;
}

}  // namespace quarry::train

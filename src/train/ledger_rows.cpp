#include "train/ledger_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"

namespace quarry::train {

LedgerRows locate_ledger_items(const pool::PoolFile& pool, const std::filesystem::path& path) {
  const std::string ledger_name = path.string();
  if (!std::filesystem::exists(path))
    throw InputError(ledger_name, "", "no such ledger file",
                     "ingest annotations first (quarry ingest) or check the path");
  LedgerRows found{ingest::read_ledger(path), {}};
  const auto& ledger = found.ledger;
  if (ledger.size() == 0)
    throw InputError(ledger_name, "/labels", "holds no labels: there is nothing to train on",
                     "ingest annotations first (quarry ingest)");
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
  std::vector<std::uint64_t> missing;
  for (const auto id : ledger.ids) {
    auto at =
        std::lower_bound(order.begin(), order.end(), id,
                         [&](std::uint64_t row, std::uint64_t v) { return pool_ids[row] < v; });
    if (at == order.end() || pool_ids[*at] != id)
      missing.push_back(id);
    else
      found.rows.push_back(*at);
  }
  if (!missing.empty())
    throw InputError(
        ledger_name, "/ids",
        fmt::format("{} labeled id(s) are not in the pool {}: {}{}", missing.size(),
                    pool.path().string(),
                    fmt::join(missing.begin(),
                              missing.begin() + std::min<long>(10, long(missing.size())), ", "),
                    missing.size() > 10 ? ", ..." : ""),
        "train with the pool the ledger's labels came from");
  return found;
}

template <class T>
std::vector<T> read_item_rows(const pool::PoolFile& pool, const std::vector<std::uint64_t>& rows) {
  std::vector<std::size_t> by_row(rows.size());
  std::iota(by_row.begin(), by_row.end(), 0);
  std::sort(by_row.begin(), by_row.end(),
            [&](std::size_t a, std::size_t b) { return rows[a] < rows[b]; });
  std::vector<std::uint64_t> sorted_rows(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) sorted_rows[i] = rows[by_row[i]];
  const auto in_row_order = pool::read_sorted_rows<T>(pool.items(), sorted_rows);
  const std::size_t width = pool.items().row_elements();
  std::vector<T> out(rows.size() * width);
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::copy_n(in_row_order.begin() + static_cast<long>(i * width), width,
                out.begin() + static_cast<long>(by_row[i] * width));
  return out;
}

template std::vector<std::uint8_t> read_item_rows(const pool::PoolFile&,
                                                  const std::vector<std::uint64_t>&);
template std::vector<float> read_item_rows(const pool::PoolFile&,
                                           const std::vector<std::uint64_t>&);

}  // namespace quarry::train

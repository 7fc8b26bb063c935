#include "files/pool/subset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "files/pool/row_runs.hpp"
#include "files/pool/writer.hpp"

namespace quarry::pool {

namespace fs = std::filesystem;

namespace {

// The pool rows of `ids`, ascending.
std::vector<std::uint64_t> rows_of(const PoolFile& pool, std::span<const std::uint64_t> ids) {
  const auto pool_ids = pool.ids().read_all<std::uint64_t>();
  std::unordered_map<std::uint64_t, std::uint64_t> row;
  row.reserve(pool_ids.size());
  for (std::uint64_t r = 0; r < pool_ids.size(); ++r) row.emplace(pool_ids[r], r);
  std::vector<std::uint64_t> rows;
  rows.reserve(ids.size());
  for (const auto id : ids) {
    const auto found = row.find(id);
    if (found == row.end())
      throw InputError(pool.path().string(), fmt::format("item id {}", id),
                       "is not in the pool, but the subset asks for it");
    rows.push_back(found->second);
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

// Copies `rows` batch by batch, so a large subset of large images never sits in memory whole.
template <class T>
void copy_rows(const PoolFile& pool, std::span<const std::uint64_t> rows, PoolWriter& writer) {
  constexpr std::size_t kBatchRows = 1024;
  for (std::size_t first = 0; first < rows.size(); first += kBatchRows) {
    const auto batch = rows.subspan(first, std::min(kBatchRows, rows.size() - first));
    const auto items = read_sorted_rows<T>(pool.items(), batch);
    const auto ids = read_sorted_rows<std::uint64_t>(pool.ids(), batch);
    std::vector<std::int32_t> labels;
    if (pool.labels()) labels = read_sorted_rows<std::int32_t>(*pool.labels(), batch);
    writer.append(std::span<const T>(items), ids, labels);
  }
}

}  // namespace

void write_pool_subset(const fs::path& pool_path, std::span<const std::uint64_t> ids,
                       const fs::path& out, Overwrite overwrite) {
  const auto pool = PoolFile::open(pool_path);
  const auto& meta = pool.meta();
  if (meta.task.kind != Task::classify)
    throw UsageError(fmt::format("{}: a subset copies classification pools only, not a {} pool",
                                 pool_path.string(), task_name(meta.task.kind)));
  const auto rows = rows_of(pool, ids);
  PoolSpec spec;
  spec.count = rows.size();
  spec.shape = meta.shape;
  spec.classes = meta.classes;
  spec.source = fmt::format("{} items of {}", rows.size(), pool_path.string());
  spec.has_labels = meta.has_labels;
  PoolWriter writer(out, overwrite, spec);
  if (meta.shape.kind == Kind::images)
    copy_rows<std::uint8_t>(pool, rows, writer);
  else
    copy_rows<float>(pool, rows, writer);
  writer.finish();
}

}  // namespace quarry::pool

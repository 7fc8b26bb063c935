#include "select/strategies/badge_cells.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace quarry::select {

namespace {

// Copies row `from` of `in` to row `to` of `out`, `count` values a row.
template <class T>
void copy_row(std::vector<T>& out, std::size_t to, const std::vector<T>& in, std::size_t from,
              std::size_t count) {
  std::memmove(out.data() + to * count, in.data() + from * count, count * sizeof(T));
}

template <class T>
void grow(std::vector<T>& values, std::size_t rows, std::size_t count) {
  if (values.size() < rows * count) values.resize(rows * count);
}

}  // namespace

BadgeRowArrays::BadgeRowArrays(std::size_t classes, std::size_t compact_dim) : classes(classes) {
  compact.dim = compact_dim;
}

void BadgeRowArrays::reserve(std::size_t count) {
  if (count <= capacity()) return;
  count = std::max(count, 2 * capacity());
  grow(rows, count, 1);
  grow(d2, count, 1);
  grow(a, count, classes);
  grow(a2, count, 1);
  grow(h2, count, 1);
  if (compact.dim == 0) return;
  grow(compact.values, count, compact.dim);
  grow(compact.side, count, 1);
}

void BadgeRowArrays::put_factors(std::size_t to, std::uint32_t row, double row_d2,
                                 const float* row_a, float row_a2, float row_h2) {
  rows[to] = row;
  d2[to] = row_d2;
  std::memcpy(a.data() + to * classes, row_a, classes * sizeof(float));
  a2[to] = row_a2;
  h2[to] = row_h2;
}

void BadgeRowArrays::put(std::size_t to, const BadgeRowArrays& from, std::size_t at,
                         std::uint32_t row, double row_d2) {
  put_factors(to, row, row_d2, from.a_of(at), from.a2[at], from.h2[at]);
  if (compact.dim == 0) return;
  copy_row(compact.values, to, from.compact.values, at, compact.dim);
  compact.side[to] = from.compact.side[at];
}

void BadgeRowArrays::put_shard_row(std::size_t to, const Shard& shard,
                                   const GradientFactors& factors, std::uint32_t row,
                                   double row_d2) {
  put_factors(to, row, row_d2, factors.a_of(row), factors.a_norm2[row], factors.h_norm2[row]);
  if (compact.dim == 0) return;
  compact.side[to] =
      quantize_row(shard.embedding(row), compact.dim, compact.values.data() + to * compact.dim);
}

void BadgeRowArrays::append(const BadgeRowArrays& from) {
  reserve(used + from.used);
  const auto block = [&](auto& out, const auto& in, std::size_t count) {
    std::memcpy(out.data() + used * count, in.data(), from.used * count * sizeof(in[0]));
  };
  block(rows, from.rows, 1);
  block(d2, from.d2, 1);
  block(a, from.a, classes);
  block(a2, from.a2, 1);
  block(h2, from.h2, 1);
  if (compact.dim) {
    block(compact.values, from.compact.values, compact.dim);
    block(compact.side, from.compact.side, 1);
  }
  used += from.used;
}

void BadgeRowArrays::add_compact(const Shard& shard) {
  const std::size_t dim = compact.dim = shard.dim();
  compact.values.resize(capacity() * dim);
  compact.side.resize(capacity());
  for (std::size_t at = 0; at < used; ++at)
    if (rows[at] != kGone)
      compact.side[at] =
          quantize_row(shard.embedding(rows[at]), dim, compact.values.data() + at * dim);
}

void BadgeCell::mark_gone(BadgeRowArrays& arrays, std::size_t at) {
  arrays.rows[at] = BadgeRowArrays::kGone;
  ++gone;
  while (first < end && arrays.rows[first] == BadgeRowArrays::kGone) ++first;
}

void sort_by_d2(std::vector<BadgeCellEntry>& entries) {
  std::sort(entries.begin(), entries.end(),
            [](const BadgeCellEntry& x, const BadgeCellEntry& y) { return x.d2 > y.d2; });
}

void append_sorted(BadgeRowArrays& to, const BadgeRowArrays& from,
                   std::vector<BadgeCellEntry>& entries) {
  sort_by_d2(entries);
  to.reserve(to.used + entries.size());
  for (const auto& e : entries) to.put(to.used++, from, e.at, e.row, e.d2);
}

void compact_cells(BadgeRowArrays& arrays, std::vector<BadgeCell>& cells) {
  std::size_t to = 0;
  for (auto& cell : cells) {
    const std::size_t begin = to;
    for (std::size_t at = cell.first; at < cell.end; ++at) {
      if (arrays.rows[at] == BadgeRowArrays::kGone) continue;
      if (to != at) arrays.put(to, arrays, at, arrays.rows[at], arrays.d2[at]);
      ++to;
    }
    cell = {begin, to, begin, 0};
  }
  arrays.used = to;
}

}  // namespace quarry::select

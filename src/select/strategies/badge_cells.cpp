#include "select/strategies/badge_cells.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace quarry::select {

namespace {

// Copies `count` values per row from row `from` of `in` to the end of `out`.
template <class T>
void append_row(std::vector<T>& out, const T* in, std::size_t from, std::size_t count) {
  const std::size_t end = out.size();
  out.resize(end + count);
  std::memcpy(out.data() + end, in + from * count, count * sizeof(T));
}

// Moves the `count` values of each row that is not gone forward, in order.
template <class T>
void compact(std::vector<T>& values, const std::vector<std::uint32_t>& rows, std::size_t count) {
  std::size_t to = 0;
  for (std::size_t at = 0; at < rows.size(); ++at) {
    if (rows[at] == BadgeCell::kGone) continue;
    if (to != at)
      std::memmove(values.data() + to * count, values.data() + at * count, count * sizeof(T));
    ++to;
  }
  values.resize(to * count);
}

}  // namespace

BadgeCell BadgeCell::of_rows(const GradientFactors& factors,
                             const std::vector<std::uint32_t>& rows) {
  BadgeCell cell;
  cell.classes = factors.classes;
  cell.rows = rows;
  cell.d2.assign(rows.size(), INFINITY);
  cell.a.reserve(rows.size() * cell.classes);
  for (const auto row : rows) {
    append_row(cell.a, factors.a.data(), row, cell.classes);
    cell.a2.push_back(factors.a_norm2[row]);
    cell.h2.push_back(factors.h_norm2[row]);
  }
  return cell;
}

void BadgeCell::mark_gone(std::size_t at) {
  rows[at] = kGone;
  ++gone;
}

void BadgeCell::settle() {
  while (first < rows.size() && rows[first] == kGone) ++first;
  if (2 * gone <= rows.size()) return;
  compact(d2, rows, 1);
  compact(a, rows, classes);
  compact(a2, rows, 1);
  compact(h2, rows, 1);
  compact(rows, rows, 1);
  first = gone = 0;
}

BadgeCell sorted_cell(std::vector<BadgeCellEntry>& entries, std::size_t classes) {
  // Rows of equal D^2 may come in any order: a scan's decisions depend on D^2 alone.
  std::sort(entries.begin(), entries.end(),
            [](const BadgeCellEntry& x, const BadgeCellEntry& y) { return x.d2 > y.d2; });
  BadgeCell cell;
  cell.classes = classes;
  const std::size_t n = entries.size();
  cell.rows.reserve(n);
  cell.d2.reserve(n);
  cell.a.reserve(n * classes);
  cell.a2.reserve(n);
  cell.h2.reserve(n);
  for (const auto& e : entries) {
    const BadgeCell& from = *e.from;
    cell.rows.push_back(e.row);
    cell.d2.push_back(e.d2);
    append_row(cell.a, from.a.data(), e.at, classes);
    cell.a2.push_back(from.a2[e.at]);
    cell.h2.push_back(from.h2[e.at]);
  }
  return cell;
}

}  // namespace quarry::select

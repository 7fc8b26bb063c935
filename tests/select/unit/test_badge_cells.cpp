// BADGE's cells: rows appended to the arrays are ordered by their new D^2 (largest first) and
// carry their factors and int8 copy along; a row marked gone moves the cell's first row past it;
// compacting drops every gone row and keeps each cell's rows, in order, as one range.
#include <gtest/gtest.h>

#include <vector>

#include "select/strategies/badge_cells.hpp"

namespace quarry::select {
namespace {

// Row r: a = (r, -r), |a|^2 = 2 r^2, |h|^2 = 10 + r, int8 copy (r, 2r, 3r) with scale r.
BadgeRowArrays source(std::size_t rows) {
  BadgeRowArrays arrays(2, 3);
  arrays.reserve(rows);
  for (std::uint32_t r = 0; r < rows; ++r) {
    arrays.rows[r] = r;
    arrays.d2[r] = INFINITY;
    arrays.a[2 * r] = float(r);
    arrays.a[2 * r + 1] = -float(r);
    arrays.a2[r] = 2.0f * float(r * r);
    arrays.h2[r] = 10.0f + float(r);
    for (std::size_t j = 0; j < 3; ++j) arrays.compact.values[3 * r + j] = std::int8_t(r * (j + 1));
    arrays.compact.side[r].scale = float(r);
  }
  arrays.used = rows;
  return arrays;
}

void expect_row(const BadgeRowArrays& arrays, std::size_t at, std::uint32_t row, double d2) {
  EXPECT_EQ(arrays.rows[at], row) << at;
  EXPECT_EQ(arrays.d2[at], d2) << at;
  EXPECT_EQ(arrays.a_of(at)[0], float(row)) << at;
  EXPECT_EQ(arrays.a_of(at)[1], -float(row)) << at;
  EXPECT_EQ(arrays.a2[at], 2.0f * float(row * row)) << at;
  EXPECT_EQ(arrays.h2[at], 10.0f + float(row)) << at;
  EXPECT_EQ(arrays.compact.values[3 * at + 2], std::int8_t(3 * row)) << at;
  EXPECT_EQ(arrays.compact.side[at].scale, float(row)) << at;
}

TEST(BadgeCells, NewRowsAreOrderedByDSquaredAndCarryTheirData) {
  const BadgeRowArrays from = source(6);
  BadgeRowArrays to(2, 3);
  std::vector<BadgeCellEntry> entries{{2.0, 5, 5}, {7.0, 1, 1}, {0.5, 3, 3}, {4.0, 0, 0}};
  append_sorted(to, from, entries);
  ASSERT_EQ(to.used, 4u);
  expect_row(to, 0, 1, 7.0);
  expect_row(to, 1, 0, 4.0);
  expect_row(to, 2, 5, 2.0);
  expect_row(to, 3, 3, 0.5);
  BadgeRowArrays more(2, 3);
  more.append(to);
  more.append(to);
  ASSERT_EQ(more.used, 8u);
  expect_row(more, 6, 5, 2.0);
}

TEST(BadgeCells, GoneRowsStayUntilCompactedThenEachCellIsOneRangeInOrder) {
  const BadgeRowArrays from = source(6);
  BadgeRowArrays arrays(2, 3);
  std::vector<BadgeCellEntry> first{{9, 0, 0}, {8, 1, 1}, {7, 2, 2}}, second{{6, 3, 3}, {5, 4, 4}};
  append_sorted(arrays, from, first);
  append_sorted(arrays, from, second);
  std::vector<BadgeCell> cells{{0, 3, 0, 0}, {3, 5, 3, 0}};
  // The largest row leaves: the radius is the next row's.
  cells[0].mark_gone(arrays, 0);
  EXPECT_EQ(cells[0].first, 1u);
  EXPECT_EQ(cells[0].radius2(arrays), 8.0);
  cells[0].mark_gone(arrays, 2);
  EXPECT_FALSE(cells[0].empty());
  cells[1].mark_gone(arrays, 3);
  cells[1].mark_gone(arrays, 4);
  EXPECT_TRUE(cells[1].empty());
  EXPECT_EQ(cells[1].radius2(arrays), 0.0);
  compact_cells(arrays, cells);
  EXPECT_EQ(arrays.used, 1u);
  expect_row(arrays, 0, 1, 8.0);
  EXPECT_EQ(cells[0].begin, 0u);
  EXPECT_EQ(cells[0].end, 1u);
  EXPECT_EQ(cells[0].radius2(arrays), 8.0);
  EXPECT_TRUE(cells[1].empty());
}

}  // namespace
}  // namespace quarry::select

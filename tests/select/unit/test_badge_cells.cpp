// BADGE's cells: a new cell orders its rows by D^2 (largest first) and carries each row's factors
// along; rows marked gone stay until they are half the cell (the scan skips them), then the cell
// drops them and keeps the others' order and factors.
#include <gtest/gtest.h>

#include <vector>

#include "select/strategies/badge_cells.hpp"

namespace quarry::select {
namespace {

// Row r: a = (r, -r), |a|^2 = 2 r^2, |h|^2 = 10 + r.
GradientFactors factors(std::size_t rows) {
  GradientFactors f;
  f.classes = 2;
  for (std::size_t r = 0; r < rows; ++r) {
    f.a.push_back(float(r));
    f.a.push_back(-float(r));
    f.a_norm2.push_back(2.0f * float(r * r));
    f.h_norm2.push_back(10.0f + float(r));
  }
  return f;
}

void expect_row(const BadgeCell& cell, std::size_t at, std::uint32_t row, double d2) {
  EXPECT_EQ(cell.rows[at], row) << at;
  EXPECT_EQ(cell.d2[at], d2) << at;
  EXPECT_EQ(cell.a_of(at)[0], float(row)) << at;
  EXPECT_EQ(cell.a_of(at)[1], -float(row)) << at;
  EXPECT_EQ(cell.a2[at], 2.0f * float(row * row)) << at;
  EXPECT_EQ(cell.h2[at], 10.0f + float(row)) << at;
}

TEST(BadgeCells, ANewCellIsOrderedByDSquaredAndCarriesTheFactors) {
  const auto f = factors(6);
  const BadgeCell all = BadgeCell::of_rows(f, {5, 1, 3, 0});
  ASSERT_EQ(all.size(), 4u);
  std::vector<BadgeCellEntry> entries{
      {2.0, &all, 0, 5}, {7.0, &all, 1, 1}, {0.5, &all, 2, 3}, {4.0, &all, 3, 0}};
  const BadgeCell cell = sorted_cell(entries, f.classes);
  ASSERT_EQ(cell.size(), 4u);
  expect_row(cell, 0, 1, 7.0);
  expect_row(cell, 1, 0, 4.0);
  expect_row(cell, 2, 5, 2.0);
  expect_row(cell, 3, 3, 0.5);
  EXPECT_EQ(cell.radius2(), 7.0);
}

TEST(BadgeCells, GoneRowsStayUntilHalfTheCellThenLeaveInOrder) {
  const auto f = factors(6);
  const BadgeCell all = BadgeCell::of_rows(f, {0, 1, 2, 3, 4, 5});
  std::vector<BadgeCellEntry> entries;
  for (std::uint32_t at = 0; at < 6; ++at) entries.push_back({double(10 - at), &all, at, at});
  BadgeCell cell = sorted_cell(entries, f.classes);
  // The largest row leaves: the radius is the next row's, the row stays in the arrays.
  cell.mark_gone(0);
  cell.settle();
  EXPECT_EQ(cell.size(), 6u);
  EXPECT_EQ(cell.first, 1u);
  EXPECT_EQ(cell.radius2(), 9.0);
  cell.mark_gone(3);
  cell.settle();
  EXPECT_EQ(cell.size(), 6u);
  EXPECT_FALSE(cell.empty());
  // Three gone of six is half: still kept; a fourth drops them all.
  cell.mark_gone(4);
  cell.settle();
  EXPECT_EQ(cell.size(), 6u);
  cell.mark_gone(1);
  cell.settle();
  ASSERT_EQ(cell.size(), 2u);
  EXPECT_EQ(cell.first, 0u);
  EXPECT_EQ(cell.gone, 0u);
  expect_row(cell, 0, 2, 8.0);
  expect_row(cell, 1, 5, 5.0);
  EXPECT_EQ(cell.radius2(), 8.0);
  cell.mark_gone(0);
  cell.mark_gone(1);
  cell.settle();
  EXPECT_TRUE(cell.empty());
  EXPECT_EQ(cell.radius2(), 0.0);
}

}  // namespace
}  // namespace quarry::select

// k-center's cells: a row's distance, priority, id and int8 copy stay together through appends,
// moves between cells and removals, and the cell's best and radius follow the rows it holds.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "select/strategies/kcenter_cells.hpp"

namespace quarry::select {
namespace {

constexpr std::size_t kDim = 40;

std::vector<Float16> fp16_rows(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<Float16> rows(n * kDim);
  for (auto& v : rows) v = to_float16(normal(rng));
  return rows;
}

KCenterCell compact_cell() {
  KCenterCell cell;
  cell.compact.dim = kDim;
  return cell;
}

// Row r has d2 = r, key = 1000 - (r % 7) (ties between rows of equal r % 7), id 100 + r.
void fill(KCenterCell& cell, const std::vector<Float16>& fp16, std::size_t n) {
  for (std::uint32_t r = 0; r < n; ++r)
    cell.append(r, float(r), float(1000 - r % 7), 100 + r, fp16.data() + r * kDim, nullptr, 0);
}

// Every row the cell holds still carries its own values, and best and radius2 are those of a
// fresh scan.
void expect_consistent(const KCenterCell& cell, const std::vector<Float16>& fp16) {
  const CompactRows reference = CompactRows::of(fp16.data(), fp16.size() / kDim, kDim);
  ASSERT_EQ(cell.compact.size(), cell.size());
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const std::uint32_t r = cell.rows[i];
    EXPECT_EQ(cell.d2[i], float(r));
    EXPECT_EQ(cell.key[i], float(1000 - r % 7));
    EXPECT_EQ(cell.ids[i], 100u + r);
    EXPECT_EQ(std::memcmp(cell.compact.values.data() + i * kDim,
                          reference.values.data() + std::size_t(r) * kDim, kDim),
              0)
        << "row " << r;
    EXPECT_EQ(cell.compact.side[i].scale, reference.side[r].scale);
  }
  KCenterCell scanned = cell;
  scanned.refresh();
  EXPECT_EQ(cell.radius2, scanned.radius2);
  EXPECT_EQ(cell.best.id, scanned.best.id);
  EXPECT_EQ(cell.best.key, scanned.best.key);
  EXPECT_EQ(cell.best_row, scanned.best_row);
}

TEST(KCenterCells, BestIsTheHighestPriorityThenTheLowestId) {
  const auto fp16 = fp16_rows(20, 1);
  KCenterCell cell = compact_cell();
  fill(cell, fp16, 20);
  EXPECT_EQ(cell.best_row, 0u);  // key 1000 for rows 0, 7, 14: the lowest id wins
  EXPECT_EQ(cell.best.id, 100u);
  EXPECT_EQ(cell.radius2, 19.0f);
  expect_consistent(cell, fp16);
}

TEST(KCenterCells, RemovingRowsKeepsEveryRowWithItsValues) {
  const auto fp16 = fp16_rows(50, 2);
  KCenterCell cell = compact_cell();
  fill(cell, fp16, 50);
  // The best (row 0), the farthest (row 49), the last position and some between.
  cell.remove_at({0, 3, 17, 48, 49});
  EXPECT_EQ(cell.size(), 45u);
  expect_consistent(cell, fp16);
  EXPECT_EQ(cell.best_row, 7u);
  EXPECT_EQ(cell.radius2, 47.0f);
  // Removing rows that are neither the best nor the farthest leaves both.
  cell.remove_at({1, 2});
  expect_consistent(cell, fp16);
  EXPECT_EQ(cell.best_row, 7u);
}

TEST(KCenterCells, MovedRowsTakeTheirCompactRowAlong) {
  const auto fp16 = fp16_rows(30, 3);
  KCenterCell from = compact_cell(), to = compact_cell();
  fill(from, fp16, 30);
  std::vector<std::uint32_t> moved;
  for (std::uint32_t i = 0; i < from.size(); ++i) {
    if (from.rows[i] % 3 != 1) continue;
    to.append(from.rows[i], from.d2[i], from.key[i], from.ids[i], nullptr, &from, i);
    moved.push_back(i);
  }
  from.remove_at(moved);
  EXPECT_EQ(from.size() + to.size(), 30u);
  expect_consistent(from, fp16);
  expect_consistent(to, fp16);
  for (const auto r : to.rows) EXPECT_EQ(r % 3, 1u);
}

TEST(KCenterCells, CellsWithoutTheCompactCopyHoldNone) {
  const auto fp16 = fp16_rows(10, 4);
  KCenterCell cell;
  fill(cell, fp16, 10);
  cell.remove_at({2});
  EXPECT_EQ(cell.compact.size(), 0u);
  EXPECT_EQ(cell.size(), 9u);
}

}  // namespace
}  // namespace quarry::select

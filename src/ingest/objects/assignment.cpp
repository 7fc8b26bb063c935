#include "ingest/objects/assignment.hpp"

#include <algorithm>
#include <limits>

namespace quarry::ingest::objects {

namespace {

// The square n x n problem (missing cells cost 0), 1-based potentials u, v and matching p as in
// the classic shortest-augmenting-path formulation. Returns column_of_row (0-based).
std::vector<std::size_t> solve_square(std::span<const double> cost, std::size_t rows,
                                      std::size_t cols, std::size_t n) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  auto at = [&](std::size_t r, std::size_t c) {  // 1-based
    return r <= rows && c <= cols ? cost[(r - 1) * cols + (c - 1)] : 0.0;
  };
  std::vector<double> u(n + 1, 0), v(n + 1, 0);
  std::vector<std::size_t> p(n + 1, 0), way(n + 1, 0);
  for (std::size_t i = 1; i <= n; ++i) {
    p[0] = i;
    std::size_t j0 = 0;
    std::vector<double> minv(n + 1, kInf);
    std::vector<char> used(n + 1, 0);
    do {
      used[j0] = 1;
      const std::size_t i0 = p[j0];
      double delta = kInf;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= n; ++j) {
        if (used[j]) continue;
        const double reduced = at(i0, j) - u[i0] - v[j];
        if (reduced < minv[j]) minv[j] = reduced, way[j] = j0;
        if (minv[j] < delta) delta = minv[j], j1 = j;
      }
      for (std::size_t j = 0; j <= n; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<std::size_t> column_of_row(n);
  for (std::size_t j = 1; j <= n; ++j) column_of_row[p[j] - 1] = j - 1;
  return column_of_row;
}

}  // namespace

std::vector<std::int32_t> min_cost_assignment(std::span<const double> cost, std::size_t rows,
                                              std::size_t cols) {
  std::vector<std::int32_t> assigned(rows, -1);
  if (rows == 0 || cols == 0) return assigned;
  const auto column_of_row = solve_square(cost, rows, cols, std::max(rows, cols));
  for (std::size_t r = 0; r < rows; ++r)
    if (column_of_row[r] < cols) assigned[r] = static_cast<std::int32_t>(column_of_row[r]);
  return assigned;
}

}  // namespace quarry::ingest::objects

#pragma once
// Optimal assignment (the Hungarian method, Kuhn 1955, in the O(n^3) shortest augmenting path
// form): pairs rows with columns so the summed cost is least. Object matching across
// annotators, agreement between annotator pairs and pre-label accounting all pair boxes by IoU
// with it, so no greedy order decides which box another one matches.
#include <cstdint>
#include <span>
#include <vector>

namespace quarry::ingest::objects {

// cost[r * cols + c] for a rows x cols matrix (either may be larger). Returns, for each row, the
// column it is assigned to, or -1 when there are more rows than columns and it got none.
std::vector<std::int32_t> min_cost_assignment(std::span<const double> cost, std::size_t rows,
                                              std::size_t cols);

}  // namespace quarry::ingest::objects

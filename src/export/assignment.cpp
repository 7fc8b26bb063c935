#include "export/assignment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "core/seeded.hpp"

namespace quarry::exporting {

std::vector<std::vector<std::uint32_t>> assign_annotators(std::span<const std::uint64_t> ids,
                                                          std::uint32_t annotators,
                                                          std::uint32_t per_item,
                                                          std::uint64_t seed) {
  if (per_item == 0) throw UsageError("--annotators-per-item must be at least 1");
  if (per_item > annotators)
    throw UsageError(
        fmt::format("--annotators-per-item {} needs at least {} annotators, --annotators names {}",
                    per_item, per_item, annotators),
        "name more annotators or ask for fewer per item");
  std::vector<std::uint64_t> load(annotators, 0);
  std::vector<std::uint32_t> order(annotators);
  std::vector<std::uint64_t> tie(annotators);
  std::vector<std::vector<std::uint32_t>> assigned;
  assigned.reserve(ids.size());
  for (const std::uint64_t id : ids) {
    for (std::uint32_t a = 0; a < annotators; ++a) tie[a] = keyed_hash(seed, id, a);
    std::iota(order.begin(), order.end(), 0u);
    // Only the R least loaded matter; partial_sort keeps this O(A log R) per item.
    std::partial_sort(order.begin(), order.begin() + per_item, order.end(),
                      [&](std::uint32_t x, std::uint32_t y) {
                        return load[x] != load[y] ? load[x] < load[y] : tie[x] < tie[y];
                      });
    std::vector<std::uint32_t> chosen(order.begin(), order.begin() + per_item);
    std::sort(chosen.begin(), chosen.end());
    for (const std::uint32_t a : chosen) ++load[a];
    assigned.push_back(std::move(chosen));
  }
  return assigned;
}

void check_annotator_names(const std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (const std::string& name : names) {
    const bool safe =
        !name.empty() && name.front() != '.' &&
        std::all_of(name.begin(), name.end(), [](unsigned char c) {
          return std::isalnum(c) || c == '.' || c == '_' || c == '@' || c == '+' || c == '-';
        });
    if (!safe)
      throw UsageError(
          fmt::format("'{}' is not a usable annotator name", name),
          "use letters, digits and . _ @ + -, not starting with a dot (names become file names)");
    if (!seen.insert(name).second)
      throw UsageError(fmt::format("annotator '{}' is named twice", name));
  }
}

}  // namespace quarry::exporting

#include "stopping/stop_set.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/seeded.hpp"
#include "files/scores/scores_file.hpp"
#include "stopping/kappa.hpp"

namespace quarry::stopping {

std::vector<std::size_t> stop_set_rows(const std::vector<std::uint64_t>& ids, std::size_t size,
                                       std::uint64_t seed) {
  const auto stream = derive_seed(seed, Purpose::stop_set);
  std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
  keyed.reserve(ids.size());
  for (std::size_t row = 0; row < ids.size(); ++row)
    keyed.emplace_back(keyed_hash(stream, ids[row]), row);
  size = std::min(size, keyed.size());
  std::partial_sort(keyed.begin(), keyed.begin() + std::ptrdiff_t(size), keyed.end());
  std::vector<std::size_t> rows;
  rows.reserve(size);
  for (std::size_t i = 0; i < size; ++i) rows.push_back(keyed[i].second);
  std::sort(rows.begin(), rows.end());
  return rows;
}

StopSetPredictions stop_set_predictions(const std::filesystem::path& path, std::size_t size,
                                        std::uint64_t seed) {
  const auto scores = score::ScoresFile::open(path);
  const auto ids = scores.ids().read_all<std::uint64_t>();
  const auto pred = scores.pred().read_all<std::int32_t>();
  auto rows = stop_set_rows(ids, size, seed);
  // In id order, so two files of one pool line up even if their row orders differed.
  std::sort(rows.begin(), rows.end(),
            [&](std::size_t x, std::size_t y) { return ids[x] < ids[y]; });
  StopSetPredictions out;
  out.classes = scores.meta().classes;
  for (auto row : rows) {
    out.ids.push_back(ids[row]);
    out.pred.push_back(pred[row]);
  }
  return out;
}

double successive_kappa(const std::filesystem::path& earlier, const std::filesystem::path& later,
                        std::size_t size, std::uint64_t seed) {
  const auto a = stop_set_predictions(earlier, size, seed);
  const auto b = stop_set_predictions(later, size, seed);
  if (a.ids != b.ids || a.classes != b.classes)
    throw InputError(later.string(), "/ids",
                     "holds another stop set than " + earlier.string() +
                         ": the two rounds scored different pools",
                     "compare rounds of one pool");
  return cohen_kappa(a.pred, b.pred, a.classes);
}

}  // namespace quarry::stopping

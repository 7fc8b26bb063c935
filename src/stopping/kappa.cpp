#include "stopping/kappa.hpp"

#include <fmt/format.h>

#include <vector>

#include "core/error.hpp"

namespace quarry::stopping {

namespace {

// Column of a label in the frequency tables: -1 (no prediction) is the last one.
std::size_t column(std::int32_t label, std::size_t classes) {
  if (label == -1) return classes;
  if (label < 0 || std::size_t(label) >= classes)
    throw Error(fmt::format("kappa: label {} is outside the {} classes", label, classes));
  return std::size_t(label);
}

}  // namespace

double cohen_kappa(std::span<const std::int32_t> a, std::span<const std::int32_t> b,
                   std::size_t classes) {
  if (a.size() != b.size())
    throw Error(fmt::format("kappa: {} against {} labels", a.size(), b.size()));
  if (a.empty()) return 1.0;
  std::vector<double> freq_a(classes + 1, 0.0), freq_b(classes + 1, 0.0);
  std::size_t agree = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    freq_a[column(a[i], classes)] += 1;
    freq_b[column(b[i], classes)] += 1;
    agree += a[i] == b[i];
  }
  const double n = double(a.size());
  const double observed = double(agree) / n;
  double chance = 0;
  for (std::size_t c = 0; c <= classes; ++c) chance += (freq_a[c] / n) * (freq_b[c] / n);
  if (chance >= 1.0) return observed >= 1.0 ? 1.0 : 0.0;
  return (observed - chance) / (1.0 - chance);
}

}  // namespace quarry::stopping

#include "audit/confident.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace quarry::audit {

namespace {

std::vector<double> class_thresholds(std::span<const float> probs,
                                     std::span<const std::int32_t> given, std::size_t classes) {
  std::vector<double> sum(classes, 0.0), count(classes, 0.0);
  for (std::size_t i = 0; i < given.size(); ++i) {
    const auto label = given[i];
    if (label < 0 || std::size_t(label) >= classes)
      throw Error(fmt::format("confident learning: label {} of row {} is outside the {} classes",
                              label, i, classes));
    sum[std::size_t(label)] += probs[i * classes + std::size_t(label)];
    count[std::size_t(label)] += 1;
  }
  std::vector<double> threshold(classes, std::numeric_limits<double>::infinity());
  for (std::size_t c = 0; c < classes; ++c)
    if (count[c] > 0) threshold[c] = sum[c] / count[c];
  return threshold;
}

}  // namespace

LabelAudit confident_flags(std::span<const float> probs, std::span<const std::int32_t> given,
                           std::size_t classes) {
  if (probs.size() != given.size() * classes)
    throw Error(fmt::format("confident learning: {} probabilities for {} items of {} classes",
                            probs.size(), given.size(), classes));
  LabelAudit audit;
  audit.thresholds = class_thresholds(probs, given, classes);
  for (std::size_t i = 0; i < given.size(); ++i) {
    const float* p = probs.data() + i * classes;
    int confident = -1;
    for (std::size_t c = 0; c < classes; ++c)
      if (double(p[c]) >= audit.thresholds[c] && (confident < 0 || p[c] > p[confident]))
        confident = int(c);
    if (confident >= 0 && confident != given[i]) {
      audit.flagged.push_back(i);
      audit.suggested.push_back(confident);
      audit.suggested_prob.push_back(p[confident]);
    }
  }
  return audit;
}

}  // namespace quarry::audit

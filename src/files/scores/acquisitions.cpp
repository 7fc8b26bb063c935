#include "files/scores/acquisitions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace quarry::score {

namespace {

const AcquisitionInfo kAcquisitions[] = {
    {"margin", Acquisition::margin, false},
    {"entropy", Acquisition::entropy, false},
    {"least_confidence", Acquisition::least_confidence, false},
    {"bald", Acquisition::bald, true},
    {"variation_ratio", Acquisition::variation_ratio, true},
};

}  // namespace

const AcquisitionInfo& acquisition_named(const std::string& name) {
  for (const auto& entry : kAcquisitions)
    if (name == entry.name) return entry;
  throw UsageError(fmt::format("'{}' is not an acquisition function; choose one of {}", name,
                               fmt::join(known_acquisitions(), ", ")));
}

const std::vector<std::string>& known_acquisitions() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const auto& entry : kAcquisitions) all.emplace_back(entry.name);
    return all;
  }();
  return names;
}

bool needs_samples(const std::string& acquisition) {
  return acquisition_named(acquisition).needs_samples;
}

}  // namespace quarry::score

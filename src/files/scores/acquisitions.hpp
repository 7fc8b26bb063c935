#pragma once
// The acquisition functions a scores file can hold, by the name they have on the command line,
// in quarry.ini and as /scores/<name> in the scores file. Torch-free, so settings checks and
// select read the table without LibTorch; score/engine.cpp maps each to its function.
#include <string>
#include <vector>

namespace quarry::score {

enum class Acquisition { margin, entropy, least_confidence, bald, variation_ratio };

struct AcquisitionInfo {
  const char* name;
  Acquisition id;
  bool needs_samples;  // computed from Monte-Carlo dropout samples (score --mc-samples)
};

// UsageError listing the known names when `name` is none of them.
const AcquisitionInfo& acquisition_named(const std::string& name);

// Every name, in table order.
const std::vector<std::string>& known_acquisitions();
bool needs_samples(const std::string& acquisition);

}  // namespace quarry::score

#pragma once
// For the settings tests: what check_settings says about one value set in quarry.ini's line 1.
#include <string>

#include "core/error.hpp"
#include "pipeline/workspace_config.hpp"

namespace quarry::pipeline {

// The InputError's message, or "accepted".
inline std::string refusal(const std::string& key, const std::string& value,
                           WorkspaceConfig config = {}) {
  config.set(key, value, "quarry.ini", "line 1");
  try {
    check_settings(config);
  } catch (const InputError& error) {
    return error.what();
  }
  return "accepted";
}

}  // namespace quarry::pipeline

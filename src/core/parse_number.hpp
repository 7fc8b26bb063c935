#pragma once
// Numbers typed on the command line ("0.95", "25.5", "0.025"): the whole text must be one, so
// "0.9x" or "" are refused rather than read as 0.9 or 0.
#include <optional>
#include <stdexcept>
#include <string>

namespace quarry {

// `text` as a double (std::stod's syntax) when all of it is one number, else nullopt.
inline std::optional<double> parse_double(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used == 0 || used != text.size()) return std::nullopt;
  return value;
}

}  // namespace quarry

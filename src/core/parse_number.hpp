#pragma once
// Numbers typed by a user (command-line options, quarry.ini values, CSV cells: "0.95", "25.5",
// "0.025"): the whole text must be one, so "0.9x" or "" are refused rather than read as 0.9 or 0,
// and the locale never changes the decimal point.
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace quarry {

// `text` as a double when all of it is one number (std::from_chars' syntax), else nullopt.
inline std::optional<double> parse_double(std::string_view text) {
  double value = 0;
  const auto end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

}  // namespace quarry

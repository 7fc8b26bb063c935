#include "core/text.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace quarry {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `text`, or 0 when it is not one
// (the table of well-formed byte sequences in Unicode 15, section 3.9, table 3-7).
std::size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return length;
}

bool is_control(char c) {
  const auto byte = static_cast<std::uint8_t>(c);
  return byte < 0x20 || byte == 0x7F;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  while (!text.empty()) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

bool has_control_character(std::string_view text) {
  for (char c : text)
    if (is_control(c)) return true;
  return false;
}

std::string escape_for_display(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0 || (length == 1 && is_control(text.front()))) {
      out += fmt::format("\\x{:02X}", static_cast<std::uint8_t>(text.front()));
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
  return out;
}

std::string name_problem(std::string_view name, std::string_view what) {
  if (name.empty()) return fmt::format("the {} is empty", what);
  if (!is_valid_utf8(name))
    return fmt::format("the {} '{}' is not valid UTF-8", what, escape_for_display(name));
  if (has_control_character(name))
    return fmt::format("the {} '{}' holds a control character", what, escape_for_display(name));
  return {};
}

}  // namespace quarry

#pragma once
// CSV fields of one line (RFC 4180: fields with commas or quotes are quoted, "" is a quote).
#include <optional>
#include <string>
#include <vector>

namespace quarry::ingest {

// The fields of `line` (without its newline); nullopt when a quoted field is not closed.
std::optional<std::vector<std::string>> split_csv_line(const std::string& line);

// Calls `row(line_number, fields)` for each non-blank line; `malformed(line_number)` for lines
// with an unclosed quote. Handles \n and \r\n line ends.
template <class Row, class Malformed>
void for_each_csv_row(const std::string& text, Row&& row, Malformed&& malformed) {
  std::size_t start = 0, line_number = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (auto fields = split_csv_line(line))
      row(line_number, *fields);
    else
      malformed(line_number);
  }
}

}  // namespace quarry::ingest

#pragma once
// CSV fields of one line (RFC 4180: fields with commas or quotes are quoted, "" is a quote).
// Built for speed: lines are split in place, each field a view into the text; only a line with
// quotes is copied, to undo its quoting. Annotation CSVs are read from the file in pieces of
// 1 MiB into one buffer (read_csv_file), so reading touches little fresh memory: on the
// machines quarry runs on, first touching a page costs more than parsing it
// (tools/bench/ingest-read).
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace quarry::ingest {

// Splits `line` (without its newline) into `fields`, views into `line` or, where a field was
// quoted, into `unquoted`. False when a quoted field is not closed.
bool split_csv_line(std::string_view line, std::vector<std::string_view>& fields,
                    std::string& unquoted);

// Calls `row(line_number, fields)` for each non-blank line; `malformed(line_number)` for lines
// with an unclosed quote. Handles \n and \r\n line ends. The fields are valid during the call.
// `first_line`: the number of the text's first line (for text that continues a file).
template <class Row, class Malformed>
void for_each_csv_row(std::string_view text, Row&& row, Malformed&& malformed,
                      std::size_t first_line = 1) {
  std::vector<std::string_view> fields;
  std::string unquoted;
  std::size_t start = 0, line_number = first_line - 1;
  while (start < text.size()) {
    const void* newline = std::memchr(text.data() + start, '\n', text.size() - start);
    const std::size_t end =
        newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - text.data())
                : text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (split_csv_line(line, fields, unquoted))
      row(line_number, fields);
    else
      malformed(line_number);
  }
}

class RecordSink;

// An annotation CSV file `id,annotator,label` into `sink`, piece by piece (InputError for a
// file that cannot be opened or holds nothing but whitespace, as read_annotation_file).
void read_csv_file(const std::filesystem::path& file, RecordSink& sink);

}  // namespace quarry::ingest

// CSV from scripts and simulations: `id,annotator,label`, label a class name or index.
#include "ingest/readers/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "core/error.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::ingest {

namespace {

// A line with quotes: each field unquoted into `unquoted`, then viewed there (after the last
// append, so growing the string cannot move what a view points at).
bool split_quoted_line(std::string_view line, std::vector<std::string_view>& fields,
                       std::string& unquoted) {
  unquoted.clear();
  std::vector<std::size_t> ends;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        unquoted += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        unquoted += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      ends.push_back(unquoted.size());
    } else {
      unquoted += c;
    }
  }
  if (quoted) return false;
  ends.push_back(unquoted.size());
  std::size_t begin = 0;
  for (auto end : ends) {
    fields.emplace_back(unquoted.data() + begin, end - begin);
    begin = end;
  }
  return true;
}

}  // namespace

bool split_csv_line(std::string_view line, std::vector<std::string_view>& fields,
                    std::string& unquoted) {
  fields.clear();
  if (line.find('"') != std::string_view::npos) return split_quoted_line(line, fields, unquoted);
  std::size_t begin = 0;
  for (auto comma = line.find(','); comma != std::string_view::npos;
       comma = line.find(',', begin)) {
    fields.push_back(line.substr(begin, comma - begin));
    begin = comma + 1;
  }
  fields.push_back(line.substr(begin));
  return true;
}

namespace {

// One piece of CSV text (whole lines) into `sink`; its first line is number `first_line`.
void read_csv_lines(std::string_view text, std::size_t first_line, RecordSink& sink) {
  const auto where = [](std::size_t line) { return "line " + std::to_string(line); };
  for_each_csv_row(
      text,
      [&](std::size_t line, const std::vector<std::string_view>& fields) {
        if (line == 1 && fields.size() == 3 && fields[0] == "id") return;  // the header
        if (fields.size() != 3) {
          sink.reject(where(line),
                      fmt::format("has {} fields, expected 3: id,annotator,label", fields.size()));
          return;
        }
        std::uint64_t id = 0;
        if (!parse_id(fields[0], id)) {
          sink.reject(where(line), fmt::format("id '{}' is not a non-negative integer", fields[0]));
          return;
        }
        if (fields[1].empty()) {
          sink.reject(where(line), "has an empty annotator");
          return;
        }
        sink.add({id, std::string(fields[1]), std::string(fields[2]), where(line)});
      },
      [&](std::size_t line) {
        sink.reject(where(line), "malformed CSV: a quoted field is not closed");
      },
      first_line);
}

}  // namespace

void read_csv(const std::string& text, RecordSink& sink) {
  read_csv_lines(text, 1, sink);
}

void read_csv_file(const std::filesystem::path& file, RecordSink& sink) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError(file.string(), "", "cannot be opened",
                     "check the path given to --annotations");
  constexpr std::size_t kPiece = 1 << 20;
  std::string pending;  // the lines not read yet: a cut last line waits for the next piece
  std::size_t next_line = 1;
  bool blank = true;
  for (;;) {
    const auto kept = pending.size();
    pending.resize(kept + kPiece);
    in.read(pending.data() + kept, static_cast<std::streamsize>(kPiece));
    pending.resize(kept + static_cast<std::size_t>(in.gcount()));
    const bool end = in.gcount() == 0;
    if (blank)
      blank = std::all_of(pending.begin() + static_cast<long>(kept), pending.end(),
                          [](unsigned char c) { return std::isspace(c); });
    // Whole lines only, but everything at the end of the file.
    const auto cut = end ? pending.size() : pending.rfind('\n');
    if (cut == std::string::npos) continue;  // a line longer than the piece: read on
    const std::string_view lines(pending.data(), cut);
    read_csv_lines(lines, next_line, sink);
    next_line += static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n')) + 1;
    if (end) break;
    pending.erase(0, cut + 1);
  }
  if (blank)
    throw InputError(file.string(), "", "is empty",
                     "export the annotations again; an empty file holds no answers");
}

}  // namespace quarry::ingest

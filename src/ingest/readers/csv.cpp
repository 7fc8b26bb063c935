// CSV from scripts and simulations: `id,annotator,label`, label a class name or index.
#include "ingest/readers/csv.hpp"

#include <fmt/format.h>

#include "ingest/readers/readers.hpp"

namespace quarry::ingest {

std::optional<std::vector<std::string>> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  return fields;
}

void read_csv(const std::string& text, RecordSink& sink) {
  for_each_csv_row(
      text,
      [&](std::size_t line, const std::vector<std::string>& fields) {
        const std::string where = fmt::format("line {}", line);
        if (line == 1 && fields.size() == 3 && fields[0] == "id") return;  // the header
        if (fields.size() != 3) {
          sink.reject(where,
                      fmt::format("has {} fields, expected 3: id,annotator,label", fields.size()));
          return;
        }
        std::uint64_t id = 0;
        if (!parse_id(fields[0], id)) {
          sink.reject(where, fmt::format("id '{}' is not a non-negative integer", fields[0]));
          return;
        }
        if (fields[1].empty()) {
          sink.reject(where, "has an empty annotator");
          return;
        }
        sink.add({id, fields[1], fields[2], where});
      },
      [&](std::size_t line) {
        sink.reject(fmt::format("line {}", line), "malformed CSV: a quoted field is not closed");
      });
}

}  // namespace quarry::ingest

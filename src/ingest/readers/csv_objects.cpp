// CSV with one row per object (see object_readers.hpp). Columns are found by name in the header,
// so quarry export's pre-label CSV (id,file,object,class,x0,y0,x1,y1,score,<kp>_x,...) read back
// after people edited it, with an annotator column added, is an answer file.
#include <fmt/format.h>

#include <map>
#include <optional>
#include <stdexcept>

#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "ingest/readers/csv.hpp"
#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/object_readers.hpp"

namespace quarry::ingest {

namespace {

struct Columns {
  std::size_t id = 0, klass = 0, box[4] = {};
  std::optional<std::size_t> annotator, score;
  std::vector<std::pair<std::string, std::array<std::size_t, 3>>> keypoints;  // name, x/y/v
  std::size_t count = 0;
};

Columns columns_of(const std::vector<std::string_view>& header, const std::string& file,
                   bool annotator_required) {
  std::map<std::string, std::size_t, std::less<>> at;
  for (std::size_t c = 0; c < header.size(); ++c) at.emplace(std::string(header[c]), c);
  auto need = [&](const char* name) {
    const auto it = at.find(name);
    if (it == at.end())
      throw InputError(file, "line 1 (header)", fmt::format("has no column '{}'", name),
                       "the header names id, annotator, class, x0, y0, x1, y1 and any keypoints");
    return it->second;
  };
  Columns c;
  c.id = need("id");
  c.klass = need("class");
  const char* corners[4] = {"x0", "y0", "x1", "y1"};
  for (int i = 0; i < 4; ++i) c.box[i] = need(corners[i]);
  if (annotator_required) c.annotator = need("annotator");
  if (at.contains("score")) c.score = at.find("score")->second;
  for (const auto& [name, column] : at)
    if (name.size() > 2 && name.ends_with("_x")) {
      const std::string point = name.substr(0, name.size() - 2);
      c.keypoints.push_back(
          {point, {column, need((point + "_y").c_str()), need((point + "_v").c_str())}});
    }
  c.count = header.size();
  return c;
}

double number(std::string_view text, const char* what) {
  const auto value = parse_double(text);
  if (!value) throw std::invalid_argument(fmt::format("{} '{}' is not a number", what, text));
  return *value;
}

// The row's object, or nullopt for a row that says "no objects" (empty class and box).
std::optional<RecordObject> object_of(const std::vector<std::string_view>& f, const Columns& c,
                                      const std::string& where) {
  const bool empty = f[c.klass].empty() && f[c.box[0]].empty() && f[c.box[2]].empty();
  if (empty) return std::nullopt;
  RecordObject object;
  object.label = std::string(f[c.klass]);
  object.where = where;
  const char* names[4] = {"x0", "y0", "x1", "y1"};
  for (int i = 0; i < 4; ++i) object.box[i] = number(f[c.box[i]], names[i]);
  if (c.score && !f[*c.score].empty()) object.score = number(f[*c.score], "score");
  for (const auto& [name, col] : c.keypoints) {
    if (f[col[2]].empty() && f[col[0]].empty()) continue;
    const double v = number(f[col[2]], "visibility");
    if (v == 0) continue;
    object.keypoints.push_back(
        {name, number(f[col[0]], "x"), number(f[col[1]], "y"), v == 1 ? 1 : 2});
  }
  return object;
}

}  // namespace

void read_csv_objects(const std::string& text, RecordSink& sink, bool annotator_required) {
  std::optional<Columns> columns;
  std::map<std::pair<std::uint64_t, std::string>, AnnotationRecord> answers;  // in key order
  for_each_csv_row(
      text,
      [&](std::size_t line, const std::vector<std::string_view>& fields) {
        if (!columns) {
          columns = columns_of(fields, sink.file().string(), annotator_required);
          return;
        }
        const std::string where = fmt::format("line {}", line);
        read_record(sink, where, [&] {
          if (fields.size() != columns->count)
            throw std::invalid_argument(
                fmt::format("has {} fields, the header {}", fields.size(), columns->count));
          std::uint64_t id = 0;
          if (!parse_id(fields[columns->id], id))
            throw std::invalid_argument(
                fmt::format("id '{}' is not a non-negative integer", fields[columns->id]));
          const std::string annotator =
              columns->annotator ? std::string(fields[*columns->annotator]) : "pre-label";
          if (columns->annotator && annotator.empty())
            throw std::invalid_argument("has an empty annotator");
          auto [it, fresh] = answers.try_emplace({id, annotator},
                                                 AnnotationRecord{id, annotator, "", where, 0, {}});
          if (auto object = object_of(fields, *columns, where))
            it->second.objects.push_back(std::move(*object));
        });
      },
      [&](std::size_t line) {
        sink.reject(fmt::format("line {}", line), "malformed CSV: a quoted field is not closed");
      });
  for (auto& [key, record] : answers) sink.add(std::move(record));
}

}  // namespace quarry::ingest

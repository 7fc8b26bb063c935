#include "ingest/prelabels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "core/error.hpp"
#include "ingest/readers/csv.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

namespace {

const char* kHint =
    "pass the pre-label list quarry export wrote beside its folder (EXPORT.prelabels.csv) or the "
    "export's csv/items.csv";

// Where the two columns are, from the header.
struct Columns {
  std::size_t id = 0, predicted_class = 0, count = 0;
};

Columns header_columns(const std::vector<std::string_view>& header, const std::string& file) {
  const auto column = [&](const char* name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      throw InputError(file, "line 1", fmt::format("the header has no column '{}'", name), kHint);
    return static_cast<std::size_t>(it - header.begin());
  };
  return {column("id"), column("predicted_class"), header.size()};
}

void read_prelabel_file(const std::filesystem::path& path, const PoolIndex& pool,
                        PreLabels& prelabels) {
  const std::string text = read_annotation_file(path);
  const std::string file = path.string();
  std::optional<Columns> columns;
  std::set<std::uint64_t> listed;
  for_each_csv_row(
      text,
      [&](std::size_t line, const std::vector<std::string_view>& fields) {
        if (!columns) {
          columns = header_columns(fields, file);
          return;
        }
        const std::string where = fmt::format("line {}", line);
        if (fields.size() != columns->count)
          throw InputError(
              file, where,
              fmt::format("has {} fields, the header {}", fields.size(), columns->count), kHint);
        std::uint64_t id = 0;
        if (!parse_id(fields[columns->id], id))
          throw InputError(
              file, where,
              fmt::format("id '{}' is not a non-negative integer", fields[columns->id]));
        if (!pool.contains(id))
          throw InputError(file, where, fmt::format("item {} is not in the pool", id),
                           "pass the pre-labels of exports from this pool");
        if (!listed.insert(id).second)
          throw InputError(file, where, fmt::format("item {} is listed twice", id));
        const std::string name(fields[columns->predicted_class]);
        if (name.empty()) return;  // exported without a prediction
        const auto label = pool.class_of(name);
        if (!label)
          throw InputError(file, where,
                           fmt::format("class '{}' is not one of the pool's classes", name));
        prelabels[id] = *label;
      },
      [&](std::size_t line) {
        throw InputError(file, fmt::format("line {}", line),
                         "malformed CSV: a quoted field is not closed");
      });
}

}  // namespace

PreLabels read_prelabel_files(const std::vector<std::filesystem::path>& files,
                              const PoolIndex& pool) {
  PreLabels prelabels;
  for (const auto& file : files) read_prelabel_file(file, pool, prelabels);
  return prelabels;
}

}  // namespace quarry::ingest

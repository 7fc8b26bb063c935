#include "ingest/gold.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "ingest/readers/csv.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

std::map<std::uint64_t, std::int32_t> read_gold(const std::filesystem::path& file,
                                                const PoolIndex& pool) {
  const std::string text = read_annotation_file(file);
  const std::string name = file.string();
  std::map<std::uint64_t, std::int32_t> gold;
  for_each_csv_row(
      text,
      [&](std::size_t line, const std::vector<std::string_view>& fields) {
        const std::string where = fmt::format("line {}", line);
        if (line == 1 && fields.size() == 2 && fields[0] == "id") return;  // the header
        std::uint64_t id = 0;
        if (fields.size() != 2 || !parse_id(fields[0], id))
          throw InputError(name, where, "is not 'id,label'", "gold files are CSV id,label");
        if (!pool.contains(id))
          throw InputError(name, where, fmt::format("item {} is not in the pool", id));
        const auto label = pool.class_of(std::string(fields[1]));
        if (!label)
          throw InputError(name, where,
                           fmt::format("class '{}' is not one of the pool's classes", fields[1]));
        if (!gold.emplace(id, *label).second)
          throw InputError(name, where, fmt::format("item {} is listed twice", id));
      },
      [&](std::size_t line) {
        throw InputError(name, fmt::format("line {}", line),
                         "malformed CSV: a quoted field is not closed");
      });
  return gold;
}

std::map<std::uint64_t, std::int32_t> read_gold_files(
    const std::vector<std::filesystem::path>& files, const PoolIndex& pool) {
  std::map<std::uint64_t, std::int32_t> gold;
  for (const auto& file : files)
    for (const auto& [id, label] : read_gold(file, pool)) {
      const auto [known, added] = gold.emplace(id, label);
      if (!added && known->second != label)
        throw InputError(
            file.string(), fmt::format("item {}", id),
            fmt::format("is gold with class '{}' here and '{}' in an earlier gold file",
                        pool.classes()[std::size_t(label)],
                        pool.classes()[std::size_t(known->second)]),
            "correct the gold files so every item has one true label");
    }
  return gold;
}

}  // namespace quarry::ingest

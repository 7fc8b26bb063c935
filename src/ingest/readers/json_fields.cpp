#include "ingest/readers/json_fields.hpp"

#include "ingest/readers/record.hpp"

namespace quarry::ingest {

std::optional<std::uint64_t> json_id(const nlohmann::json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  std::uint64_t id = 0;
  if (value.is_string() && parse_id(value.get<std::string>(), id)) return id;
  return std::nullopt;
}

std::optional<std::string> json_label(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  return std::nullopt;
}

}  // namespace quarry::ingest

#include "report/json_cells.hpp"

#include <fmt/format.h>

#include <fstream>

namespace quarry::report {

nlohmann::json field(const nlohmann::json& object, const char* key) {
  return object.is_object() ? object.value(key, nlohmann::json()) : nlohmann::json();
}

std::string number_cell(const nlohmann::json& value, const char* format) {
  if (value.is_number()) return fmt::format(fmt::runtime(format), value.get<double>());
  return "&ndash;";
}

std::string count_cell(const nlohmann::json& object, const char* key) {
  return number_cell(field(object, key), "{:.0f}");
}

nlohmann::json read_json_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return nullptr;
  return nlohmann::json::parse(in, nullptr, false);  // damaged: a discarded value, shown as missing
}

}  // namespace quarry::report

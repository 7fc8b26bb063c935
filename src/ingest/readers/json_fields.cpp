#include "ingest/readers/json_fields.hpp"

#include <fmt/format.h>

#include <stdexcept>

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

namespace {
// The field's value when `object` is an object that has it.
const nlohmann::json* find_field(const nlohmann::json& object, const std::string& field) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(field);
  return it == object.end() ? nullptr : &*it;
}

[[noreturn]] void wrong_type(const nlohmann::json& value, const std::string& field,
                             const std::string& shown, const char* expected) {
  throw std::invalid_argument(
      fmt::format("{}: is {} {}, expected {}", shown.empty() ? field : shown,
                  value.is_array() || value.is_object() ? "an" : "a", value.type_name(), expected));
}
}  // namespace

bool bool_field(const nlohmann::json& object, const std::string& field, bool fallback,
                const std::string& shown) {
  const auto* value = find_field(object, field);
  if (!value) return fallback;
  if (!value->is_boolean()) wrong_type(*value, field, shown, "true or false");
  return value->get<bool>();
}

std::optional<std::string> string_field(const nlohmann::json& object, const std::string& field,
                                        const std::string& shown) {
  const auto* value = find_field(object, field);
  if (!value) return std::nullopt;
  if (!value->is_string()) wrong_type(*value, field, shown, "a string");
  return value->get<std::string>();
}

double number_field(const nlohmann::json& object, const std::string& field,
                    const std::string& shown) {
  const auto* value = find_field(object, field);
  if (!value)
    throw std::invalid_argument(fmt::format("{}: is missing", shown.empty() ? field : shown));
  if (!value->is_number()) wrong_type(*value, field, shown, "a number");
  return value->get<double>();
}

void read_record(RecordSink& sink, const std::string& where, const std::function<void()>& read) {
  try {
    read();
  } catch (const std::invalid_argument& e) {
    sink.reject(where, e.what());
  } catch (const nlohmann::json::exception& e) {
    // A safety net: every field the readers use goes through the checked accessors above.
    sink.reject(where, fmt::format("unexpected JSON value ({})", e.what()));
  }
}

std::string json_parse_problem(const nlohmann::json::exception& error) {
  if (dynamic_cast<const nlohmann::json::out_of_range*>(&error))
    return fmt::format("a number is out of range: {}", error.what());
  return fmt::format("malformed JSON: {}", error.what());
}

std::size_t json_parse_offset(const std::string& text, const nlohmann::json::exception& error) {
  if (const auto* parse = dynamic_cast<const nlohmann::json::parse_error*>(&error))
    return parse->byte > 0 ? parse->byte - 1 : 0;
  // A number out of range names itself ("number overflow parsing '1e400'"): find it.
  const std::string what = error.what();
  const auto open = what.find('\''), close = what.rfind('\'');
  if (open == std::string::npos || close <= open) return 0;
  const auto found = text.find(what.substr(open + 1, close - open - 1));
  return found == std::string::npos ? 0 : found;
}

}  // namespace quarry::ingest

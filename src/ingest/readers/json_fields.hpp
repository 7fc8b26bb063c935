#pragma once
// Small helpers shared by the JSON readers (Label Studio, SageMaker): ids and labels may come
// as numbers or as strings, depending on the tool and on who edited the file; any other field of
// the wrong type is the record's problem, reported with the field's name, never an exception of
// the JSON library.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ingest/readers/record.hpp"

namespace quarry::ingest {

// A non-negative integer id, given as a JSON number or a decimal string.
std::optional<std::uint64_t> json_id(const nlohmann::json& value);
// A label as text: a string as is, an integer (a class index) in decimal.
std::optional<std::string> json_label(const nlohmann::json& value);

// `object[field]` as a boolean; `fallback` when absent. A value of another type throws
// std::invalid_argument "SHOWN: is a string, expected true or false" (SHOWN defaults to field).
bool bool_field(const nlohmann::json& object, const std::string& field, bool fallback,
                const std::string& shown = {});
// `object[field]` as a string; nullopt when absent; another type throws like bool_field.
std::optional<std::string> string_field(const nlohmann::json& object, const std::string& field,
                                        const std::string& shown = {});

// `object[field]` as a number; absent or another type throws like bool_field.
double number_field(const nlohmann::json& object, const std::string& field,
                    const std::string& shown = {});

// Runs `read` for one record; a std::invalid_argument or a JSON library error it throws becomes
// that record's rejection at `where` (which ends the ingest unless --skip-bad).
void read_record(RecordSink& sink, const std::string& where, const std::function<void()>& read);

// The problem text of a JSON parse failure (syntax, or a number out of range such as 1e400).
std::string json_parse_problem(const nlohmann::json::exception& error);
// Where in `text` a parse failure happened (a byte offset), as far as the error tells.
std::size_t json_parse_offset(const std::string& text, const nlohmann::json::exception& error);

}  // namespace quarry::ingest

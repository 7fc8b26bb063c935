#pragma once
// Small helpers shared by the JSON readers (Label Studio, SageMaker): ids and labels may come
// as numbers or as strings, depending on the tool and on who edited the file.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace quarry::ingest {

// A non-negative integer id, given as a JSON number or a decimal string.
std::optional<std::uint64_t> json_id(const nlohmann::json& value);
// A label as text: a string as is, an integer (a class index) in decimal.
std::optional<std::string> json_label(const nlohmann::json& value);

}  // namespace quarry::ingest

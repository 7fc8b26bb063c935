#pragma once
// Table cells from the JSON records stages leave (manifests' settings, rounds' ingest.json):
// a figure that is missing or not a number shows as a dash, never as an error, since reports are
// read about rounds that may be half done or written by an older quarry.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace quarry::report {

// object[key], or null when object is not an object or lacks it.
nlohmann::json field(const nlohmann::json& object, const char* key);

// The number formatted, or "&ndash;".
std::string number_cell(const nlohmann::json& value, const char* format = "{:.3f}");

// object[key] as a whole number, or "&ndash;".
std::string count_cell(const nlohmann::json& object, const char* key);

// The parsed file; null when it is missing or damaged.
nlohmann::json read_json_file(const std::filesystem::path& file);

}  // namespace quarry::report

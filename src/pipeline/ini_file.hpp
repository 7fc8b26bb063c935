#pragma once
// A plain INI reader for workspace settings: `key = value` lines, `[section]` headers, `#` and
// `;` comments. Every entry keeps its line so a bad key can be reported where it stands.
#include <filesystem>
#include <string>
#include <vector>

namespace quarry::pipeline {

struct IniEntry {
  std::string key;  // "section.key", or "key" before any section
  std::string value;
  int line = 0;
};

// InputError (file, "line N", problem) for a line that is neither a header, a comment nor
// `key = value`, and for a file that cannot be read.
std::vector<IniEntry> read_ini(const std::filesystem::path& file);
std::vector<IniEntry> parse_ini(const std::string& text, const std::string& file_name);

}  // namespace quarry::pipeline

#include "pipeline/ini_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace quarry::pipeline {

namespace {
std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}
}  // namespace

std::vector<IniEntry> parse_ini(const std::string& text, const std::string& file_name) {
  std::vector<IniEntry> entries;
  std::istringstream lines(text);
  std::string raw, section;
  int number = 0;
  while (std::getline(lines, raw)) {
    ++number;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const std::string where = fmt::format("line {}", number);
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3)
        throw InputError(file_name, where, fmt::format("bad section header '{}'", line),
                         "write it as [name]");
      section = trim(line.substr(1, line.size() - 2));
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string::npos || trim(line.substr(0, equals)).empty())
      throw InputError(file_name, where, fmt::format("'{}' is not 'key = value'", line));
    const std::string key = trim(line.substr(0, equals));
    entries.push_back(
        {section.empty() ? key : section + "." + key, trim(line.substr(equals + 1)), number});
  }
  return entries;
}

std::vector<IniEntry> read_ini(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), "file", "cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return parse_ini(text.str(), file.string());
}

}  // namespace quarry::pipeline

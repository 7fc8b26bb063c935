#include "app/options.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "core/error.hpp"
#include "core/path_error.hpp"

namespace quarry::app {

namespace {
std::string section_name(const std::string& command) {
  std::string name = command;
  for (char& c : name)
    if (c == ' ') c = '-';
  return name;
}

// Keeps the config entries that belong to this command: top-level keys and keys in its section.
po::parsed_options config_for_command(const std::string& path, const std::string& command,
                                      const po::options_description& options) {
  if (!std::filesystem::is_regular_file(path))
    throw InputError(path, "", "config file does not exist");
  std::ifstream in(path);
  po::parsed_options all = po::parse_config_file(in, options, /*allow_unregistered=*/true);
  po::parsed_options mine(&options);
  const std::string prefix = section_name(command) + ".";
  for (po::option& entry : all.options) {
    std::string key = entry.string_key;
    if (key.rfind(prefix, 0) == 0)
      key = key.substr(prefix.size());
    else if (key.find('.') != std::string::npos)
      continue;                                       // another command's section
    if (!options.find_nothrow(key, false)) continue;  // a key for another command
    entry.string_key = key;
    entry.unregistered = false;
    mine.options.push_back(entry);
  }
  return mine;
}
}  // namespace

std::optional<po::variables_map> parse(const CommandLine& line, const std::string& usage,
                                       po::options_description options,
                                       const po::positional_options_description& positional) {
  options.add_options()("config", po::value<std::string>(), "INI file with option values")(
      "help,h", "print this help");
  po::variables_map values;
  try {
    po::store(po::command_line_parser(line.args).options(options).positional(positional).run(),
              values);
    if (values.count("help")) {
      std::cout << "usage: quarry " << line.command << " " << usage << "\n\n" << options << "\n";
      return std::nullopt;
    }
    if (values.count("config")) {
      // Stored second: po::store keeps the first value, so the command line wins.
      po::store(config_for_command(values["config"].as<std::string>(), line.command, options),
                values);
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw UsageError(std::string("quarry ") + line.command + ": " + e.what(),
                     "run 'quarry " + line.command + " --help' for the options");
  }
  // Every command that writes a file or folder names it --out: one check for all of them.
  if (values.count("out")) require_writable_parent(values["out"].as<std::string>());
  return values;
}

template <class T>
T required(const po::variables_map& values, const std::string& name) {
  if (!values.count(name)) throw UsageError("missing required option --" + name);
  return values[name].as<T>();
}

template std::string required<std::string>(const po::variables_map&, const std::string&);
template std::uint64_t required<std::uint64_t>(const po::variables_map&, const std::string&);
template int required<int>(const po::variables_map&, const std::string&);

}  // namespace quarry::app

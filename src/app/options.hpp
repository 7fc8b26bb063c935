#pragma once
// Option parsing shared by every subcommand: --help, --config FILE (INI; command-line values win
// over the file), and parse errors turned into UsageError (exit 2).
#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace quarry::app {

namespace po = boost::program_options;

struct CommandLine {
  std::string command;            // "pool import"
  std::vector<std::string> args;  // everything after the command words
};

// Adds --help and --config to `options`, parses the command line and the config file, and
// returns the values; an empty optional means --help was printed and the command is done.
// Config keys are option names, either at the top of the file or in a section named after the
// command ("[pool-import]", "[score]"), so one INI file can configure every stage.
std::optional<po::variables_map> parse(const CommandLine& line, const std::string& usage,
                                       po::options_description options,
                                       const po::positional_options_description& positional = {});

// The value of a required option (UsageError naming it when missing).
template <class T>
T required(const po::variables_map& values, const std::string& name);

}  // namespace quarry::app

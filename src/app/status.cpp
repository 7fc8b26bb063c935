#include <iostream>

#include "app/commands.hpp"
#include "pipeline/status.hpp"

namespace quarry::app {

int run_status(const CommandLine& line) {
  po::options_description options("status");
  options.add_options()("workspace", po::value<std::string>(), "the workspace (quarry init)");
  po::positional_options_description positional;
  positional.add("workspace", 1);
  auto values = parse(line, "WORKSPACE", options, positional);
  if (!values) return 0;
  std::cout << pipeline::workspace_status(required<std::string>(*values, "workspace"));
  return 0;
}

}  // namespace quarry::app

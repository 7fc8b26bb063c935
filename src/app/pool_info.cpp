#include <iostream>

#include "app/commands.hpp"
#include "pool/summary.hpp"

namespace quarry::app {

int run_pool_info(const CommandLine& line) {
  po::options_description options("pool info");
  options.add_options()("pool", po::value<std::string>(), "pool file")(
      "json", "print JSON instead of a table");
  po::positional_options_description positional;
  positional.add("pool", 1);
  auto values = parse(line, "POOL.h5 [--json]", options, positional);
  if (!values) return 0;
  auto summary = pool::summarize_pool(required<std::string>(*values, "pool"));
  if (values->count("json"))
    std::cout << pool::summary_json(summary).dump(2) << "\n";
  else
    std::cout << pool::format_summary(summary);
  return 0;
}

}  // namespace quarry::app

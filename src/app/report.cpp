#include <fmt/format.h>

#include <iostream>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "report/round_report.hpp"

namespace quarry::app {

int run_report(const CommandLine& line) {
  po::options_description options("report");
  options.add_options()("workspace", po::value<std::string>(), "the workspace folder")(
      "round", po::value<int>()->default_value(-1), "round to report (default: the newest)")(
      "out", po::value<std::string>(), "HTML file (default: rounds/NNNN/report.html)")(
      "thumbnails", po::value<int>()->default_value(48), "selected items shown")(
      "force", "replace an existing report");
  po::positional_options_description positional;
  positional.add("workspace", 1);
  auto values = parse(line, "WORKSPACE [--round N] [--out FILE.html]", options, positional);
  if (!values) return 0;
  const std::filesystem::path workspace = required<std::string>(*values, "workspace");
  int round = (*values)["round"].as<int>();
  if (round < 0) round = report::newest_round(workspace);
  const auto out = values->count("out") ? std::filesystem::path((*values)["out"].as<std::string>())
                                        : report::round_folder(workspace, round) / "report.html";
  report::RoundReportOptions report_options;
  report_options.thumbnails = (*values)["thumbnails"].as<int>();
  report::write_round_report(workspace, round, out,
                             values->count("force") ? Overwrite::replace : Overwrite::refuse,
                             report_options);
  std::cout << fmt::format("report: round {:04d} -> {}\n", round, out.string());
  return 0;
}

}  // namespace quarry::app

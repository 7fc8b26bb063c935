#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "pipeline/submit.hpp"

namespace quarry::app {

int run_submit(const CommandLine& line) {
  po::options_description options("submit");
  options.add_options()("workspace", po::value<std::string>(), "the workspace (quarry init)")(
      "dry-run", po::bool_switch(), "print the sbatch commands instead of submitting them");
  po::positional_options_description positional;
  positional.add("workspace", 1);
  auto values = parse(line, "WORKSPACE [--dry-run]", options, positional);
  if (!values) return 0;
  pipeline::SubmitOptions o;
  o.workspace = required<std::string>(*values, "workspace");
  o.dry_run = (*values)["dry-run"].as<bool>();
  // The jobs run this very binary.
  o.quarry_binary = std::filesystem::read_symlink("/proc/self/exe");
  const auto result = pipeline::submit_round(o);
  if (o.dry_run) {
    std::cout << result.plan;
    return 0;
  }
  std::string chain;
  for (const auto& job : result.jobs)
    chain += fmt::format("{}{} {}", chain.empty() ? "" : " -> ", job.stage, job.job_id);
  std::cout << fmt::format("round {:04}: submitted {}\n", result.round, chain)
            << "follow it with: quarry status " << o.workspace.string() << "\n";
  return 0;
}

}  // namespace quarry::app

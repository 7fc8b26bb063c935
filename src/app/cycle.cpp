#include "pipeline/cycle.hpp"
#include "app/commands.hpp"
#include "comm/communicator.hpp"
#include "core/error.hpp"

namespace quarry::app {

int run_cycle(const CommandLine& line) {
  po::options_description options("cycle");
  options.add_options()("workspace", po::value<std::string>(), "the workspace (quarry init)")(
      "stage", po::value<std::string>(),
      "run only this stage: ingest|train|score|select|export (its inputs must be complete)")(
      "round", po::value<int>(), "the round to work on (default: the current one)");
  po::positional_options_description positional;
  positional.add("workspace", 1);
  auto values =
      parse(line, "WORKSPACE [--stage S] [--round N]   (MPI: any rank count)", options, positional);
  if (!values) return 0;
  pipeline::CycleOptions o;
  o.workspace = required<std::string>(*values, "workspace");
  if (values->count("stage")) o.only = pipeline::parse_stage((*values)["stage"].as<std::string>());
  if (values->count("round")) {
    o.round = (*values)["round"].as<int>();
    if (*o.round < 0) throw UsageError("--round must be 0 or more");
  }
  pipeline::run_cycle(comm::Communicator(MPI_COMM_WORLD), o);
  return 0;
}

}  // namespace quarry::app

#include "pipeline/init.hpp"
#include "app/commands.hpp"
#include "comm/communicator.hpp"

namespace quarry::app {

int run_init(const CommandLine& line) {
  po::options_description options("init");
  options.add_options()("workspace", po::value<std::string>(), "workspace folder to create")(
      "pool", po::value<std::string>(), "the pool to label")(
      "eval-pool", po::value<std::string>(), "labeled pool to evaluate each round's model on")(
      "settings", po::value<std::string>(),
      "workspace settings template (configs/nightly.ini, configs/production.ini)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "KEY=VALUE for any quarry.ini key, e.g. slurm.score.gpus-per-task=0 (repeatable)")(
      "k", po::value<std::string>(), "items selected per round")(
      "arch", po::value<std::string>(),
      "first model: small-cnn | mlp | centernet-small (default: the pool's task's)")(
      "strategy", po::value<std::string>(), "selection strategy")(
      "annotators", po::value<std::string>(), "annotator names, comma-separated")(
      "annotators-per-item", po::value<std::string>(), "distinct annotators per item")(
      "formats", po::value<std::string>(), "export formats, comma-separated")(
      "seed", po::value<std::string>(), "seed of every random choice")(
      "seed-labels", po::value<std::uint64_t>()->default_value(0),
      "pick N items at random and export them to rounds/0000/export/ for the first labeling");
  po::positional_options_description positional;
  positional.add("workspace", 1);
  auto values = parse(line,
                      "WORKSPACE --pool POOL.h5 [--eval-pool T.h5] [--settings FILE] [--set "
                      "KEY=VALUE]... [--k K] [--seed-labels N]   (MPI: any rank count)",
                      options, positional);
  if (!values) return 0;
  pipeline::InitOptions o;
  o.workspace = required<std::string>(*values, "workspace");
  o.pool = required<std::string>(*values, "pool");
  if (values->count("settings")) o.settings = (*values)["settings"].as<std::string>();
  for (const char* key : {"eval-pool", "k", "arch", "strategy", "annotators", "annotators-per-item",
                          "formats", "seed"})
    if (values->count(key)) o.values.emplace_back(key, (*values)[key].as<std::string>());
  if (values->count("set")) o.assignments = (*values)["set"].as<std::vector<std::string>>();
  o.seed_labels = (*values)["seed-labels"].as<std::uint64_t>();
  pipeline::init_workspace(comm::Communicator(MPI_COMM_WORLD), o);
  return 0;
}

}  // namespace quarry::app

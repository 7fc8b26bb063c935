#include <fmt/format.h>

#include "app/commands.hpp"
#include "comm/communicator.hpp"
#include "comm/session.hpp"
#include "select/select_batch.hpp"

namespace quarry::app {

int run_select(const CommandLine& line) {
  const select::SelectOptions d;
  po::options_description options("select");
  options.add_options()("scores", po::value<std::string>(), "scores file (quarry score)")(
      "k", po::value<std::uint64_t>(), "number of items to select")("out", po::value<std::string>(),
                                                                    "selection file to write")(
      "strategy",
      po::value<std::string>()->default_value(select::strategy_name(select::kDefaultStrategy)),
      fmt::format("{}", fmt::join(select::strategy_names(), "|")).c_str())(
      "acquisition", po::value<std::string>()->default_value(d.acquisition),
      "uncertainty under /scores: margin|entropy|least_confidence|bald|variation_ratio, or a "
      "det_* score of a pool with objects")("labels", po::value<std::string>(),
                                            "label ledger: labeled items are excluded")(
      "exclude", po::value<std::vector<std::string>>()->composing(),
      "earlier selection file whose items are pending (repeatable)")(
      "target-pool", po::value<std::string>(),
      "scores file of the target domain: weight items by closeness to it")(
      "balance", po::bool_switch(), "spread the batch evenly over predicted classes")(
      "seed", po::value<std::uint64_t>()->default_value(d.seed), "seed of every random choice")(
      "candidates", po::value<std::uint64_t>()->default_value(d.candidates),
      "uncertainty pre-filter size M (margin-kcenter, cluster-margin; 0: 2 x k)")(
      "clusters", po::value<std::uint64_t>()->default_value(d.clusters),
      "cluster-margin: number of clusters (0: about sqrt of the pool size, at most 1000)")(
      "warm-clusters", po::value<std::string>(),
      "cluster-margin: an earlier model's SCORES.clusters.h5 of the same items to start k-means "
      "from (ignored when it does not fit)")("force", "replace --out if it exists");
  auto values = parse(line,
                      "--scores SCORES.h5 --k K --out SELECTION.h5 [--strategy S] [--labels "
                      "LEDGER.h5] [--exclude SELECTION.h5]... [--seed S]   (MPI: any rank count)",
                      options);
  if (!values) return 0;
  select::SelectOptions o;
  o.scores = required<std::string>(*values, "scores");
  o.k = required<std::uint64_t>(*values, "k");
  o.out = required<std::string>(*values, "out");
  o.acquisition = (*values)["acquisition"].as<std::string>();
  if (values->count("labels")) o.labels = (*values)["labels"].as<std::string>();
  if (values->count("exclude"))
    for (const auto& path : (*values)["exclude"].as<std::vector<std::string>>())
      o.exclude.emplace_back(path);
  if (values->count("target-pool")) o.target_pool = (*values)["target-pool"].as<std::string>();
  o.balance = (*values)["balance"].as<bool>();
  o.seed = (*values)["seed"].as<std::uint64_t>();
  o.candidates = (*values)["candidates"].as<std::uint64_t>();
  o.clusters = (*values)["clusters"].as<std::uint64_t>();
  if (values->count("warm-clusters"))
    o.warm_clusters = (*values)["warm-clusters"].as<std::string>();
  o.overwrite = values->count("force") ? Overwrite::replace : Overwrite::refuse;
  const comm::Communicator world(MPI_COMM_WORLD);
  comm::agree_on_errors(
      world, [&] { o.strategy = select::parse_strategy((*values)["strategy"].as<std::string>()); });
  select::run_select(world, o);
  return 0;
}

}  // namespace quarry::app

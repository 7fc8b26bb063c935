#include "select/strategies/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.hpp"
#include "select/distributed/layout.hpp"
#include "select/select_batch.hpp"
#include "select/strategies/badge.hpp"
#include "select/strategies/cluster_margin.hpp"
#include "select/strategies/kcenter.hpp"
#include "select/strategies/ranking.hpp"
#include "select/strategies/typiclust.hpp"

namespace quarry::select {

namespace {

PickList run_topk(StrategyInputs& in, const std::vector<std::uint32_t>& rows, std::size_t k) {
  return top_acquisition(in.comm, in.shard, rows, k, in.weight);
}

PickList run_random(StrategyInputs& in, const std::vector<std::uint32_t>& rows, std::size_t k) {
  return random_picks(in.comm, in.shard, rows, k, in.options.seed, in.weight);
}

PickList run_kcenter(StrategyInputs& in, const std::vector<std::uint32_t>& rows, std::size_t k) {
  const auto stage = [&](const comm::Communicator& comm, const Shard& shard,
                         const std::vector<std::uint32_t>& candidates,
                         const std::vector<float>& weight) {
    KCenterSpec spec;
    spec.k = k;
    spec.seed = in.options.seed;
    spec.candidates = candidates;
    spec.covered = in.covered;
    spec.weight = weight;
    return kcenter(comm, shard, spec);
  };
  return run_stage(in.comm, in.shard, rows, in.weight, stage);
}

PickList run_margin_kcenter(StrategyInputs& in, const std::vector<std::uint32_t>& rows,
                            std::size_t k) {
  const std::size_t m = candidate_count(k, in.options.candidates);
  return run_kcenter(in, top_acquisition_rows(in.comm, in.shard, rows, m, in.weight), k);
}

PickList run_badge(StrategyInputs& in, const std::vector<std::uint32_t>& rows, std::size_t k) {
  return badge(in.comm, in.shard, rows, k, in.options.seed, in.weight);
}

PickList run_cluster_margin(StrategyInputs& in, const std::vector<std::uint32_t>& rows,
                            std::size_t k) {
  if (!in.clustering) {
    const auto& o = in.options;
    const std::size_t items = in.shard.meta.count;
    const std::size_t clusters = o.clusters ? o.clusters : default_cluster_count(items);
    in.clustering =
        cached_clustering(in.comm, in.shard, o.scores, std::min<std::size_t>(clusters, items),
                          o.seed, o.warm_clusters);
  }
  return cluster_margin(in.comm, in.shard, *in.clustering, rows, k,
                        candidate_count(k, in.options.candidates), in.weight);
}

PickList run_typiclust(StrategyInputs& in, const std::vector<std::uint32_t>& rows, std::size_t k) {
  return typiclust(in.comm, in.shard, rows, k, in.options.seed);
}

// needs: embeddings, probs, acquisition, prefilter, covered
constexpr StrategyEntry kStrategies[] = {
    {Strategy::topk, "topk", {false, false, true, false, false}, run_topk},
    {Strategy::margin_kcenter,
     "margin-kcenter",
     {true, false, true, true, true},
     run_margin_kcenter},
    {Strategy::kcenter, "kcenter", {true, false, false, false, true}, run_kcenter},
    {Strategy::random, "random", {false, false, false, false, false}, run_random},
    {Strategy::badge, "badge", {true, true, false, false, false}, run_badge},
    {Strategy::cluster_margin,
     "cluster-margin",
     {true, false, true, true, false},
     run_cluster_margin},
    {Strategy::typiclust, "typiclust", {true, false, false, false, false}, run_typiclust},
};

}  // namespace

std::span<const StrategyEntry> strategy_table() {
  return kStrategies;
}

const StrategyEntry& entry_of(Strategy strategy) {
  for (const auto& entry : kStrategies)
    if (entry.strategy == strategy) return entry;
  throw Error(fmt::format("strategy {} has no entry in the table", static_cast<int>(strategy)));
}

Strategy parse_strategy(const std::string& name) {
  for (const auto& entry : kStrategies)
    if (name == entry.name) return entry.strategy;
  throw UsageError(fmt::format("unknown strategy '{}'; choose one of: {}", name,
                               fmt::join(strategy_names(), ", ")));
}

const char* strategy_name(Strategy strategy) {
  return entry_of(strategy).name;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const auto& entry : kStrategies) names.emplace_back(entry.name);
  return names;
}

}  // namespace quarry::select

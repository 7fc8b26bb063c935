#include "select/select_batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "comm/session.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/manifest.hpp"
#include "select/distributed/agree.hpp"
#include "select/input/exclusions.hpp"
#include "select/input/shard.hpp"
#include "select/input/target_density.hpp"
#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"
#include "select/strategies/badge.hpp"
#include "select/strategies/balance.hpp"
#include "select/strategies/cluster_margin.hpp"
#include "select/strategies/kcenter.hpp"
#include "select/strategies/ranking.hpp"

namespace quarry::select {

namespace {

struct Needs {
  bool embeddings = false;
  bool probs = false;
  bool acquisition = false;
};

Needs needs_of(const std::string& strategy) {
  if (strategy == "random") return {};
  if (strategy == "topk") return {false, false, true};
  if (strategy == "kcenter") return {true, false, false};
  if (strategy == "margin-kcenter") return {true, false, true};
  if (strategy == "badge") return {true, true, false};
  if (strategy == "cluster-margin") return {true, false, true};
  throw UsageError(fmt::format("unknown strategy '{}'; choose one of: {}", strategy,
                               fmt::join(strategy_names(), ", ")));
}

void check_options(const SelectOptions& options) {
  needs_of(options.strategy);
  if (options.k == 0) throw UsageError("--k must be at least 1");
  if (options.strategy == "margin-kcenter" || options.strategy == "cluster-margin")
    if (options.candidates != 0 && options.candidates < options.k)
      throw UsageError(fmt::format("--candidates ({}) must be at least --k ({})",
                                   options.candidates, options.k));
  if (options.overwrite == Overwrite::refuse && std::filesystem::exists(options.out))
    throw UsageError(fmt::format("{} exists; pass --force to replace it", options.out.string()));
}

// BLAS threads: the node's cores shared by the ranks on it.
void share_cores(const comm::Communicator& comm) {
  const auto placement = comm::node_placement(comm);
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  set_blas_threads(std::max(1, cores / std::max(1, placement.local_size)));
}

}  // namespace

std::size_t candidate_count(std::size_t k, std::size_t candidates) {
  return candidates == 0 ? 2 * k : std::max(k, candidates);
}

const std::vector<std::string>& strategy_names() {
  static const std::vector<std::string> names = {"topk",   "margin-kcenter", "kcenter",
                                                 "random", "badge",          "cluster-margin"};
  return names;
}

Selection select_batch(const comm::Communicator& comm, const SelectOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const auto seconds_since = [](std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  agree_on_errors(comm, [&] { check_options(options); });
  const Needs needs = needs_of(options.strategy);
  ShardRequest request;
  request.embeddings = needs.embeddings || options.target_pool.has_value();
  request.probs = needs.probs;
  request.acquisition = options.acquisition;
  request.acquisition_required = needs.acquisition;
  const Shard shard = read_shard(comm, options.scores, request);
  share_cores(comm);
  if (comm.is_root())
    spdlog::debug("select: read {} of {} items in {:.2f} s ({} kernels)", shard.size(),
                  shard.meta.count, seconds_since(started), distance_kernels().name);

  Exclusions exclusions;
  agree_on_errors(comm, [&] { exclusions = read_exclusions(options.labels, options.exclude); });
  if (options.labels)
    check_ledger_matches(comm, exclusions, shard.meta.class_names, shard.ids, *options.labels,
                         options.scores);

  std::vector<std::uint32_t> candidates, covered_rows;
  for (std::uint32_t row = 0; row < shard.size(); ++row)
    (exclusions.excluded(shard.ids[row]) ? covered_rows : candidates).push_back(row);
  const auto eligible = comm.allreduce<std::uint64_t>(candidates.size(), comm::Op::sum);
  if (eligible < options.k) {
    InputError error(options.scores.string(), "--k",
                     fmt::format("asks for {} items but only {} of {} are eligible ({} labeled, "
                                 "{} pending excluded)",
                                 options.k, eligible, shard.meta.count, exclusions.labeled.size(),
                                 exclusions.pending.size()),
                     "lower --k or score a larger pool");
    error.set_on_every_rank();
    throw error;
  }

  std::vector<float> weight;
  if (options.target_pool)
    agree_on_errors(comm, [&] { weight = target_weights(shard, *options.target_pool); });
  // kcenter's distances start from the labeled and pending items.
  std::vector<Float16> covered;
  if (options.strategy == "kcenter" || options.strategy == "margin-kcenter")
    covered = gather_embeddings(comm, shard, covered_rows);

  std::optional<Clustering> clustering;  // cluster-margin's, computed (or loaded) once
  const auto kcenter_over = [&](const std::vector<std::uint32_t>& rows, std::size_t k) {
    KCenterSpec spec;
    spec.k = k;
    spec.seed = options.seed;
    spec.candidates = rows;
    spec.covered = covered;
    spec.weight = weight;
    return kcenter(comm, shard, spec);
  };
  const std::map<std::string, StrategyRun> strategies = {
      {"random",
       [&](const auto& rows, std::size_t k) {
         return random_picks(comm, shard, rows, k, options.seed, weight);
       }},
      {"topk", [&](const auto& rows,
                   std::size_t k) { return top_acquisition(comm, shard, rows, k, weight); }},
      {"kcenter", kcenter_over},
      {"margin-kcenter",
       [&](const auto& rows, std::size_t k) {
         const std::size_t m = candidate_count(k, options.candidates);
         return kcenter_over(top_acquisition_rows(comm, shard, rows, m, weight), k);
       }},
      {"badge", [&](const auto& rows,
                    std::size_t k) { return badge(comm, shard, rows, k, options.seed, weight); }},
      {"cluster-margin",
       [&](const auto& rows, std::size_t k) {
         if (!clustering) {
           const std::size_t clusters =
               options.clusters ? options.clusters : default_cluster_count(shard.meta.count);
           clustering =
               cached_clustering(comm, shard, options.scores,
                                 std::min<std::size_t>(clusters, shard.meta.count), options.seed);
         }
         return cluster_margin(comm, shard, *clustering, rows, k,
                               candidate_count(k, options.candidates), weight);
       }},
  };
  const auto found = strategies.find(options.strategy);
  const auto strategy_started = std::chrono::steady_clock::now();
  const PickList picks = options.balance
                             ? balanced(comm, shard, candidates, options.k, found->second)
                             : found->second(candidates, options.k);

  if (comm.is_root())
    spdlog::debug("select: {} picked {} items in {:.3f} s", options.strategy, picks.picks.size(),
                  seconds_since(strategy_started));
  if (picks.picks.size() != options.k) {  // only --balance can run short: predictions off-range
    InputError error(options.scores.string(), score::kPred,
                     fmt::format("only {} of the {} items could be picked: --balance needs "
                                 "predictions within the {} classes",
                                 picks.picks.size(), options.k, shard.meta.classes));
    error.set_on_every_rank();
    throw error;
  }
  Selection selection;
  for (const auto& pick : picks.picks) {
    selection.ids.push_back(pick.id);
    selection.score.push_back(pick.score);
    selection.reason.push_back(pick.reason);
  }
  selection.strategy = options.strategy;
  selection.reason_meaning = picks.reason_meaning;
  selection.seed = options.seed;
  selection.objective = picks.objective;
  selection.scores = options.scores.string();
  return selection;
}

Selection run_select(const comm::Communicator& comm, const SelectOptions& options) {
  Manifest manifest("select");
  if (comm.is_root()) {
    manifest.add_input("scores", options.scores);
    if (options.labels) manifest.add_input("labels", *options.labels);
    for (const auto& path : options.exclude) manifest.add_input("exclude", path);
    if (options.target_pool) manifest.add_input("target_pool", *options.target_pool);
  }
  Selection selection = select_batch(comm, options);
  agree_on_errors(comm, [&] {
    if (!comm.is_root()) return;
    AtomicOutput output(options.out, options.overwrite);
    retract_manifest(options.out);
    write_selection(output.temp_path(), selection);
    output.commit();
    manifest.set_setting("strategy", options.strategy);
    manifest.set_setting("k", options.k);
    manifest.set_setting("acquisition", options.acquisition);
    manifest.set_setting("seed", options.seed);
    manifest.set_setting("balance", options.balance);
    manifest.set_setting("candidates", candidate_count(options.k, options.candidates));
    manifest.set_setting("kernels", distance_kernels().name);
    manifest.set_ranks(comm.size());
    manifest.add_output("selection", options.out);
    manifest.publish_for(options.out);
  });
  if (comm.is_root())
    spdlog::info("select: {} items by {} from {} ({} rank(s)), objective {:.6g} -> {}",
                 selection.ids.size(), selection.strategy, options.scores.string(), comm.size(),
                 selection.objective, options.out.string());
  return selection;
}

}  // namespace quarry::select

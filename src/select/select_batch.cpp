#include "select/select_batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "comm/placement.hpp"
#include "comm/session.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "files/manifest/manifest.hpp"
#include "select/distributed/agree.hpp"
#include "select/distributed/layout.hpp"
#include "select/input/exclusions.hpp"
#include "select/input/shard.hpp"
#include "select/input/target_density.hpp"
#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"
#include "select/strategies/balance.hpp"
#include "select/strategies/registry.hpp"

namespace quarry::select {

namespace {

void check_options(const SelectOptions& options) {
  if (options.k == 0) throw UsageError("--k must be at least 1");
  if (entry_of(options.strategy).needs.prefilter && options.candidates != 0 &&
      options.candidates < options.k)
    throw UsageError(
        fmt::format("--candidates ({}) must be at least --k ({})", options.candidates, options.k));
  if (options.overwrite == Overwrite::refuse && std::filesystem::exists(options.out))
    throw UsageError(fmt::format("{} exists; pass --force to replace it", options.out.string()));
}

void share_cores(const comm::Communicator& comm) {
  set_blas_threads(comm::cores_per_rank(comm::node_placement(comm)));
}

}  // namespace

std::size_t candidate_count(std::size_t k, std::size_t candidates) {
  return candidates == 0 ? 2 * k : std::max(k, candidates);
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Collective: this rank's shard with what the strategy needs.
Shard read_needed(const comm::Communicator& comm, const SelectOptions& options,
                  const StrategyNeeds& needs) {
  const auto started = std::chrono::steady_clock::now();
  ShardRequest request;
  request.embeddings = needs.embeddings || options.target_pool.has_value();
  request.probs = needs.probs;
  request.acquisition = options.acquisition;
  request.acquisition_required = needs.acquisition;
  Shard shard = read_shard(comm, options.scores, request);
  if (comm.is_root())
    spdlog::debug("select: read {} of {} items in {:.2f} s ({} kernels)", shard.size(),
                  shard.meta.count, seconds_since(started), distance_kernels().name);
  return shard;
}

// The local rows a strategy may pick, and those it may not (labeled or pending): the latter are
// what kcenter's distances start from.
struct Eligibility {
  std::vector<std::uint32_t> candidates, covered;
};

// Collective: splits the shard by the ledger and the earlier selections; bad input when fewer
// than k items are left over all ranks.
Eligibility split_eligible(const comm::Communicator& comm, const SelectOptions& options,
                           const Shard& shard) {
  Exclusions exclusions;
  comm::agree_on_errors(comm,
                        [&] { exclusions = read_exclusions(options.labels, options.exclude); });
  if (options.labels)
    check_ledger_matches(comm, exclusions, shard.meta.class_names, shard.ids, *options.labels,
                         options.scores);
  Eligibility rows;
  for (std::uint32_t row = 0; row < shard.size(); ++row)
    (exclusions.excluded(shard.ids[row]) ? rows.covered : rows.candidates).push_back(row);
  const auto eligible = comm.allreduce<std::uint64_t>(rows.candidates.size(), comm::Op::sum);
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
  return rows;
}

// Collective: runs the strategy over the candidates, per predicted class with --balance.
PickList run_strategy(StrategyInputs& inputs, const StrategyEntry& strategy,
                      const std::vector<std::uint32_t>& candidates) {
  const auto started = std::chrono::steady_clock::now();
  const auto& options = inputs.options;
  const auto run = [&](const std::vector<std::uint32_t>& rows, std::size_t k) {
    return strategy.run(inputs, rows, k);
  };
  PickList picks = options.balance ? balanced(inputs.comm, inputs.shard, candidates, options.k, run)
                                   : run(candidates, options.k);
  if (inputs.comm.is_root())
    spdlog::debug("select: {} picked {} items in {:.3f} s", strategy.name, picks.picks.size(),
                  seconds_since(started));
  if (picks.picks.size() != options.k) {  // only --balance can run short: predictions off-range
    InputError error(options.scores.string(), score::kPred,
                     fmt::format("only {} of the {} items could be picked: --balance needs "
                                 "predictions within the {} classes",
                                 picks.picks.size(), options.k, inputs.shard.meta.classes));
    error.set_on_every_rank();
    throw error;
  }
  return picks;
}

Selection selection_of(const SelectOptions& options, const PickList& picks) {
  Selection selection;
  for (const auto& pick : picks.picks) {
    selection.ids.push_back(pick.id);
    selection.score.push_back(pick.score);
    selection.reason.push_back(pick.reason);
  }
  selection.strategy = strategy_name(options.strategy);
  selection.reason_meaning = picks.reason_meaning;
  selection.seed = options.seed;
  selection.objective = picks.objective;
  selection.scores = options.scores.string();
  return selection;
}

}  // namespace

namespace {

// Collective: whether the pool is small enough for rank 0 to select alone (distributed/layout.hpp).
// An unreadable file says no: the distributed read reports it.
bool pool_runs_alone(const comm::Communicator& comm, const SelectOptions& options) {
  std::uint64_t shape[3] = {0, 0, 0};  // readable, items, dimension
  if (comm.is_root()) try {
      const auto meta = score::ScoresFile::open(options.scores).meta();
      shape[0] = 1, shape[1] = meta.count,
      shape[2] = std::max<std::uint64_t>(meta.embedding_dim, 1);
    } catch (const std::exception&) {
    }
  comm.broadcast(std::span<std::uint64_t>(shape), 0);
  return shape[0] == 1 && runs_alone(comm, shape[1], shape[2]);
}

void share(const comm::Communicator& comm, Selection& selection) {
  auto count = comm.broadcast<std::uint64_t>(selection.ids.size(), 0);
  selection.ids.resize(count);
  selection.score.resize(count);
  selection.reason.resize(count);
  comm.broadcast(std::span(selection.ids), 0);
  comm.broadcast(std::span(selection.score), 0);
  comm.broadcast(std::span(selection.reason), 0);
  selection.strategy = comm.broadcast(selection.strategy, 0);
  selection.reason_meaning = comm.broadcast(selection.reason_meaning, 0);
  selection.scores = comm.broadcast(selection.scores, 0);
  selection.seed = comm.broadcast(selection.seed, 0);
  selection.objective = comm.broadcast(selection.objective, 0);
}

// Collective: select_batch over the ranks of `comm`.
Selection select_on(const comm::Communicator& comm, const SelectOptions& options) {
  const StrategyEntry& strategy = entry_of(options.strategy);
  const Shard shard = read_needed(comm, options, strategy.needs);
  share_cores(comm);
  const Eligibility rows = split_eligible(comm, options, shard);
  StrategyInputs inputs{comm, shard, options, {}, {}, {}};
  if (options.target_pool)
    comm::agree_on_errors(comm,
                          [&] { inputs.weight = target_weights(shard, *options.target_pool); });
  if (strategy.needs.covered) inputs.covered = gather_embeddings(comm, shard, rows.covered);
  return selection_of(options, run_strategy(inputs, strategy, rows.candidates));
}

}  // namespace

Selection select_batch(const comm::Communicator& comm, const SelectOptions& options) {
  comm::agree_on_errors(comm, [&] { check_options(options); });
  if (!pool_runs_alone(comm, options)) return select_on(comm, options);
  Selection selection;
  on_root_asleep(comm, [&] {
    selection = select_on(comm::Communicator(MPI_COMM_SELF), options);
    spdlog::debug("select: {} items: rank 0 selects alone", selection.ids.size());
  });
  share(comm, selection);
  return selection;
}

Selection run_select(const comm::Communicator& comm, const SelectOptions& options) {
  // Rank 0 stamps the inputs before select_batch's first collective lets any rank read them; the
  // large ones are hashed on a thread while the ranks select.
  Manifest manifest("select");
  if (comm.is_root()) {
    manifest.add_input("scores", options.scores, Manifest::Hashing::beside_the_work);
    if (options.labels) manifest.add_input("labels", *options.labels);
    for (const auto& path : options.exclude) manifest.add_input("exclude", path);
    if (options.target_pool)
      manifest.add_input("target_pool", *options.target_pool, Manifest::Hashing::beside_the_work);
  }
  Selection selection = select_batch(comm, options);
  comm::agree_on_errors(comm, [&] {
    if (!comm.is_root()) return;
    manifest.verify_inputs();  // an input changed during the run: nothing is published, exit 2
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

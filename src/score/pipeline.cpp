#include "score/pipeline.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "comm/placement.hpp"
#include "comm/progress.hpp"
#include "comm/session.hpp"
#include "comm/stop_notice.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/version.hpp"
#include "files/manifest/manifest.hpp"
#include "files/pool/shard_reader.hpp"
#include "files/scores/acquisitions.hpp"
#include "files/scores/assemble.hpp"
#include "files/scores/checkpoint.hpp"
#include "model/loaded_model.hpp"
#include "model/threads.hpp"
#include "score/acquisition.hpp"
#include "score/engine.hpp"

namespace quarry::score {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The pool's task as scoring sees it.
struct PoolTask {
  std::string name = "classify";  // classify | detect | keypoints
  std::int64_t keypoints = 0;     // K of a keypoint pool

  bool objects() const { return name != "classify"; }
};

PoolTask task_of(const pool::PoolMeta& meta) {
  return {pool::task_name(meta.task.kind), static_cast<std::int64_t>(meta.task.keypoints())};
}

// The acquisition functions to compute, checked against the pool's task and what the model
// returns (a detector's probs, heatmaps, keypoints).
std::vector<std::string> resolve_acquisitions(const ScoreOptions& options, const PoolTask& task,
                                              const model::LoadedModel& model) {
  std::vector<std::string> names = options.acquisitions;
  const bool chosen = !names.empty();
  if (!chosen) names = default_acquisitions(task.name, options.mc_samples > 0);
  std::vector<std::string> computable;
  for (const auto& name : names) {
    bool samples = false;
    try {
      samples = needs_samples(name);
      check_acquisition_applies(name, task.name);
    } catch (const UsageError& error) {
      throw UsageError(std::string("--acquisitions: ") + error.what());
    }
    if (samples && options.mc_samples == 0)
      throw UsageError(fmt::format("--acquisitions {} needs Monte-Carlo dropout", name),
                       "add --mc-samples T (for example 10)");
    const auto missing =
        model.detects() ? missing_model_output(name, model.detection_layout()) : std::string();
    // A default the model cannot feed is left out; one asked for is bad input.
    if (missing.empty())
      computable.push_back(name);
    else if (chosen)
      throw InputError(options.model.string(), "forward output",
                       fmt::format("has no {}, which {} needs", missing, name));
  }
  return computable;
}

// Rows per unit: `unit_chunks` pool chunks, rounded up to whole batches so that batches always
// sit on the global grid (row r is in batch r / batch), whatever the ranks and units.
std::uint64_t rows_per_unit(const pool::PoolMeta& pool, const ScoreOptions& options) {
  const std::uint64_t chunk = pool.chunk_rows ? pool.chunk_rows : options.batch;
  const std::uint64_t wanted = std::max<std::uint64_t>(1, options.unit_chunks) * chunk;
  return (wanted + options.batch - 1) / options.batch * options.batch;
}

// The pool's units as this run sees them.
struct UnitPlan {
  const pool::PoolMeta& pool;
  std::uint64_t unit_size;
  std::uint64_t embedding_dim;
  std::size_t acquisitions;
  const std::vector<std::uint64_t>& pending;  // units still to score, ascending
  const PoolTask& task;
  bool detection_probs;  // the detector returns probs
};

// This rank's share of the pending units, scored and committed one by one; returns true when a
// stop was requested (on any rank) and this rank stopped after its current unit.
bool score_units(const comm::Communicator& world, const UnitPlan& plan, ScoringEngine& engine,
                 const Checkpoint& checkpoint, const ScoreOptions& options, ScoreSummary& summary) {
  const auto& pending = plan.pending;
  std::uint64_t pending_items = 0;
  for (auto unit : pending)
    pending_items += unit_rows(plan.pool.count, plan.unit_size, unit).size();
  comm::Progress progress(world, "scoring", pending_items);
  // A signal during the loop lets every rank finish its unit; before or after it, ends the run.
  const CheckpointedSection checkpointed;
  comm::StopNotice stop(world);
  const auto mine = comm::shard_range(pending.size(), world.size(), world.rank());
  UnitResult unit;
  bool stopped = false;
  for (std::uint64_t i = mine.begin; i < mine.end && !stopped;) {
    // One reader per run of consecutive pending units keeps the prefetch ring full.
    std::uint64_t j = i + 1;
    while (j < mine.end && pending[j] == pending[j - 1] + 1) ++j;
    const comm::Range rows{unit_rows(plan.pool.count, plan.unit_size, pending[i]).begin,
                           unit_rows(plan.pool.count, plan.unit_size, pending[j - 1]).end};
    pool::ShardReader reader(options.pool, rows, options.batch);
    for (std::uint64_t u = i; u < j && !stopped; ++u) {
      const auto unit_range = unit_rows(plan.pool.count, plan.unit_size, pending[u]);
      unit.reset(pending[u], unit_range.begin, unit_range.size(), plan.pool.classes.size(),
                 plan.embedding_dim, plan.acquisitions);
      unit.detections.reset(plan.task.objects(), static_cast<std::uint64_t>(plan.task.keypoints),
                            plan.detection_probs);
      for (std::uint64_t row = unit_range.begin; row < unit_range.end;) {
        const pool::Batch* batch = reader.next();
        if (!batch) throw Error("pool reader ended before unit " + std::to_string(pending[u]));
        engine.score({batch->first_row, batch->count, batch->ids.data(),
                      batch->pixels.empty() ? nullptr : batch->pixels.data(),
                      batch->features.empty() ? nullptr : batch->features.data()},
                     unit);
        row += batch->count;
        progress.advance(batch->count);
      }
      engine.throw_if_nonfinite(options.model.string());
      checkpoint.commit(unit);
      summary.scored_now += unit.count;
      stopped = stop.requested();
    }
    i = j;
  }
  progress.finish();
  stop.finish();
  return stopped;
}

// What every rank loads before scoring: the pool's description, the model on its device, the
// acquisition functions to compute, and the settings a resumed run must share.
struct ScoringInputs {
  pool::PoolMeta pool;
  std::optional<model::LoadedModel> model;
  std::vector<std::int64_t> shape;  // one item, without the batch dimension
  PoolTask task;
  std::vector<std::string> acquisitions;
  std::string model_sha256;
  std::uint64_t unit_size = 0;
  nlohmann::json settings;
  Manifest manifest{"score"};  // rank 0: the inputs' fingerprints, taken before any rank read them
};

// Collective: every rank checks the inputs the same way, so bad input ends the job with one
// message.
ScoringInputs load_inputs(const comm::Communicator& world, const ScoreOptions& options,
                          const torch::Device& device) {
  ScoringInputs in;
  comm::agree_on_errors(world, [&] {
    if (options.mc_samples < 0 || options.mc_samples == 1)
      throw UsageError("--mc-samples must be 0 (off) or at least 2");
    if (!(options.min_confidence >= 0 && options.min_confidence <= 1))
      throw UsageError("--min-confidence must be between 0 and 1");
    check_publishable(options.out, options.force ? Overwrite::replace : Overwrite::refuse);
  });
  // The pool's sha256 is read on a thread of rank 0 while the ranks score; the collective makes
  // every rank wait until both files are stamped before it reads them.
  comm::on_root_for_all(world, [&] {
    in.manifest.add_input("pool", options.pool, Manifest::Hashing::beside_the_work);
    in.manifest.add_input("model", options.model);
  });
  comm::agree_on_errors(world, [&] {
    in.pool = pool::PoolFile::open(options.pool).meta();
    if (in.pool.classes.empty())
      throw InputError(options.pool.string(), "attribute classes", "is missing or empty",
                       "scoring needs the class names; re-import the pool");
    in.shape.assign(in.pool.shape.dims.begin(), in.pool.shape.dims.end());
    in.task = task_of(in.pool);
    in.model.emplace(model::LoadedModel::load(
        options.model,
        model::ModelContract{in.shape, static_cast<std::int64_t>(in.pool.classes.size()),
                             in.task.objects(), in.task.keypoints},
        {options.input_scale, options.input_mean, options.input_std}));
    in.acquisitions = resolve_acquisitions(options, in.task, *in.model);
    in.model->to(device);
    if (options.mc_samples > 0) {
      auto batch_shape = in.shape;
      batch_shape.insert(batch_shape.begin(), static_cast<std::int64_t>(options.batch));
      in.model->enable_monte_carlo(batch_shape);
    }
    if (options.optimize) in.model->optimize_for_inference();
  });
  comm::on_root_for_all(world, [&] { in.model_sha256 = in.manifest.input_sha256("model"); });
  in.model_sha256 = world.broadcast(in.model_sha256, 0);
  in.unit_size = rows_per_unit(in.pool, options);
  in.settings = {{"pool", fs::absolute(options.pool).lexically_normal().string()},
                 {"pool_items", in.pool.count},
                 {"model_sha256", in.model_sha256},
                 {"batch", options.batch},
                 {"unit_rows", in.unit_size},
                 {"acquisitions", in.acquisitions},
                 {"mc_samples", options.mc_samples},
                 {"seed", options.seed},
                 {"optimize", options.optimize},
                 {"quarry_version", std::string(version())}};
  if (in.task.objects()) {
    in.settings["task"] = in.task.name;
    in.settings["min_confidence"] = options.min_confidence;
  }
  if (!in.model->normalises_itself())
    in.settings["input_normalisation"] = {options.input_scale, options.input_mean,
                                          options.input_std};
  return in;
}

std::uint64_t embedding_dim_of(const ScoringInputs& in) {
  return in.model->embedding_size() > 0 ? static_cast<std::uint64_t>(in.model->embedding_size())
                                        : in.pool.classes.size();
}

// Collective: the units an earlier, interrupted run did not commit, ascending.
std::vector<std::uint64_t> pending_units(const comm::Communicator& world,
                                         const ScoreOptions& options, const ScoringInputs& in,
                                         const Checkpoint& checkpoint, ScoreSummary& summary) {
  comm::on_root_for_all(world, [&] {
    Checkpoint::prepare(checkpoint.folder(), in.settings, options.resume, options.force);
  });
  const std::uint64_t units = unit_count(in.pool.count, in.unit_size);
  const auto committed = checkpoint.committed(units);
  std::vector<std::uint64_t> pending;
  for (std::uint64_t unit = 0; unit < units; ++unit)
    if (!committed[unit]) pending.push_back(unit);
  summary.items = in.pool.count;
  summary.units = units;
  summary.units_resumed = units - pending.size();
  if (world.is_root() && summary.units_resumed > 0)
    spdlog::info("resuming: {} of {} units already committed in {}", summary.units_resumed, units,
                 checkpoint.folder().string());
  return pending;
}

// Collective: scores the pending units; bad model output removes what this run committed, and a
// stop requested on any rank ends the run (exit 99) with the committed units kept.
void score_pending(const comm::Communicator& world, const ScoreOptions& options, ScoringInputs& in,
                   const torch::Device& device, const std::vector<std::uint64_t>& pending,
                   const Checkpoint& checkpoint, ScoreSummary& summary) {
  ScoringEngine engine(*in.model,
                       {in.shape, static_cast<std::int64_t>(options.batch), in.acquisitions,
                        options.mc_samples, options.seed, options.min_confidence},
                       device);
  engine.warm_up();
  const auto started = Clock::now();
  bool stopped = false;
  try {
    stopped =
        score_units(world,
                    {in.pool, in.unit_size, embedding_dim_of(in), in.acquisitions.size(), pending,
                     in.task, in.model->detects() && in.model->detection_layout().probs},
                    engine, checkpoint, options, summary);
  } catch (const InputError&) {
    // The model's output is bad input: nothing of this run may remain. Units committed by an
    // earlier run stay (their model had the same sha256, so they are as good as they were).
    if (summary.units_resumed == 0) checkpoint.remove();
    throw;
  }
  summary.score_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  summary.scored_now = world.allreduce(summary.scored_now, comm::Op::sum);
  summary.score_seconds = world.allreduce(summary.score_seconds, comm::Op::max);
  if (world.any(stopped)) {
    Interrupted interrupted(
        fmt::format("interrupted: units are committed in {}", checkpoint.folder().string()),
        "run the same command with --resume to finish");
    interrupted.set_on_every_rank();
    throw interrupted;
  }
}

// Collective: assembles the scores file from the units (MPI-IO) and rank 0 publishes it with its
// manifest, unless an input changed during the run: then nothing is published and the units go
// too (they may hold rows of either version), exit 2 on every rank.
void publish_scores(const comm::Communicator& world, const ScoreOptions& options, ScoringInputs& in,
                    const Checkpoint& checkpoint, const ScoreSummary& summary) {
  ScoresMeta meta;
  meta.count = in.pool.count;
  meta.classes = in.pool.classes.size();
  meta.embedding_dim = embedding_dim_of(in);
  meta.class_names = in.pool.classes;
  meta.acquisitions = in.acquisitions;
  meta.pool = options.pool.string();
  meta.model = options.model.string();
  meta.model_sha256 = in.model_sha256;
  meta.ranks = world.size();
  meta.mc_samples = options.mc_samples;
  meta.quarry_version = std::string(version());
  meta.task = in.task.name;
  meta.keypoints = static_cast<std::uint64_t>(in.task.keypoints);
  meta.detection_probs = in.model->detects() && in.model->detection_layout().probs;

  std::optional<AtomicOutput> output;
  std::string temp;
  comm::on_root_for_all(world, [&] {
    output.emplace(options.out, options.force ? Overwrite::replace : Overwrite::refuse);
    temp = output->temp_path().string();
  });
  temp = world.broadcast(temp, 0);
  assemble_scores(world, temp, meta, checkpoint, in.unit_size,
                  in.pool.chunk_rows ? in.pool.chunk_rows : options.batch);
  comm::on_root_for_all(world, [&] {
    try {
      in.manifest.verify_inputs();
    } catch (const InputError&) {
      checkpoint.remove();
      throw;
    }
    Manifest& manifest = in.manifest;
    for (const auto& [key, value] : in.settings.items()) manifest.set_setting(key, value);
    manifest.set_setting("threads_per_rank", summary.threads);
    manifest.set_ranks(world.size());
    manifest.set_placement(summary.placement);
    manifest.set_timing("scoring", summary.score_seconds);
    retract_manifest(options.out);
    output->commit();
    manifest.add_output("scores", options.out);
    manifest.publish_for(options.out);
    checkpoint.remove();
  });
}

}  // namespace

ScoreSummary score_pool(const comm::Communicator& world, const ScoreOptions& options) {
  const auto started = Clock::now();
  if (options.batch == 0) throw UsageError("--batch must be at least 1");
  const auto placement = comm::node_placement(world);
  const torch::Device device = model::choose_device(placement.local_rank);
  ScoreSummary summary;
  summary.threads = comm::threads_per_rank(options.threads, placement);
  summary.nodes = placement.nodes;
  summary.placement = comm::placement_record(world, placement, summary.threads);
  model::use_threads(summary.threads);
  c10::InferenceMode inference;

  ScoringInputs in = load_inputs(world, options, device);
  const Checkpoint checkpoint(Checkpoint::folder_for(options.out));
  const auto pending = pending_units(world, options, in, checkpoint, summary);
  score_pending(world, options, in, device, pending, checkpoint, summary);
  publish_scores(world, options, in, checkpoint, summary);
  summary.total_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace quarry::score

#include "score/pipeline.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "comm/progress.hpp"
#include "comm/session.hpp"
#include "comm/stop_notice.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/manifest.hpp"
#include "core/sha256.hpp"
#include "core/version.hpp"
#include "model/loaded_model.hpp"
#include "model/threads.hpp"
#include "pool/shard_reader.hpp"
#include "score/acquisition.hpp"
#include "score/assemble.hpp"
#include "score/checkpoint.hpp"

namespace quarry::score {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::vector<std::string>& known_acquisitions() {
  static const std::vector<std::string> names = {"margin", "entropy", "least_confidence", "bald",
                                                 "variation_ratio"};
  return names;
}

namespace {

bool needs_samples(const std::string& acquisition) {
  return acquisition == "bald" || acquisition == "variation_ratio";
}

std::vector<std::string> resolve_acquisitions(const ScoreOptions& options) {
  if (options.mc_samples < 0 || options.mc_samples == 1)
    throw UsageError("--mc-samples must be 0 (off) or at least 2");
  std::vector<std::string> names = options.acquisitions;
  if (names.empty()) {
    names = {"margin", "entropy", "least_confidence"};
    if (options.mc_samples > 0) names.insert(names.end(), {"bald", "variation_ratio"});
  }
  const auto& known = known_acquisitions();
  for (const auto& name : names) {
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw UsageError(
          fmt::format("--acquisitions: '{}' is not one of {}", name, fmt::join(known, ", ")));
    if (needs_samples(name) && options.mc_samples == 0)
      throw UsageError(fmt::format("--acquisitions {} needs Monte-Carlo dropout", name),
                       "add --mc-samples T (for example 10)");
  }
  return names;
}

void check_output_path(const fs::path& out, bool force) {
  const auto folder = fs::absolute(out).parent_path();
  if (!fs::is_directory(folder))
    throw InputError(out.string(), "", "its folder " + folder.string() + " does not exist",
                     "create the folder first");
  if (fs::exists(out) && !force)
    throw UsageError(out.string() + " exists", "pass --force to replace it");
}

// A mixed 64-bit key for the dropout masks of one pass over one batch: depends only on the
// seed and the batch's place in the pool, never on ranks or threads.
std::uint64_t pass_seed(std::uint64_t seed, std::uint64_t first_row, int pass) {
  std::uint64_t x = seed ^ (first_row * 0x9E3779B97F4A7C15ull) ^ (std::uint64_t(pass) << 48);
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Everything one rank needs to turn batches into unit results.
class BatchScorer {
 public:
  BatchScorer(model::LoadedModel& model, const pool::PoolMeta& pool,
              const std::vector<std::string>& acquisitions, const ScoreOptions& options)
      : model_(model),
        acquisitions_(acquisitions),
        options_(options),
        affine_(model.input_affine()) {
    std::vector<std::int64_t> shape{static_cast<std::int64_t>(options.batch)};
    for (auto d : pool.shape.dims) shape.push_back(static_cast<std::int64_t>(d));
    input_ = torch::zeros(shape);  // allocated once; every batch is converted into it
    elements_ = pool.shape.elements();
  }

  // Bad model output is bad input: checked once a unit is scored, before it is committed, so
  // the message lists every such item of the unit.
  void throw_if_nonfinite(const std::string& model_name) const {
    if (nonfinite_.empty()) return;
    const std::size_t shown = std::min<std::size_t>(nonfinite_.size(), 20);
    throw InputError(model_name, "forward output",
                     fmt::format("is NaN or infinite for {} item(s), ids {}{}", nonfinite_.size(),
                                 fmt::join(nonfinite_.begin(),
                                           nonfinite_.begin() + static_cast<long>(shown), ", "),
                                 nonfinite_.size() > shown ? ", ..." : ""),
                     "check the model's weights and those items' pixels");
  }

  void warm_up() {
    for (int i = 0; i < 2; ++i) model_.forward_prepared(input_);
  }

  // Scores `batch` into `unit` (the unit that holds its rows).
  void score(const pool::Batch& batch, UnitResult& unit) {
    convert(batch);
    const auto count = static_cast<std::int64_t>(batch.count);
    const std::size_t offset = batch.first_row - unit.first_row;
    auto output = model_.forward_prepared(input_);
    auto logits = output.logits.narrow(0, 0, count);
    check_finite(logits, batch);
    auto probs = torch::softmax(logits, 1).contiguous();
    auto pred = probs.argmax(1).to(torch::kInt32).contiguous();
    std::memcpy(unit.pred.data() + offset, pred.data_ptr<std::int32_t>(),
                count * sizeof(std::int32_t));
    std::memcpy(unit.ids.data() + offset, batch.ids.data(), count * sizeof(std::uint64_t));
    copy_half(probs, unit.probs.data() + offset * unit.classes);
    auto embedding = output.embedding.defined() ? output.embedding.narrow(0, 0, count) : probs;
    copy_half(embedding, unit.embeddings.data() + offset * unit.embedding_dim);

    torch::Tensor samples;
    if (options_.mc_samples > 0) samples = monte_carlo(batch.first_row, count);
    for (std::size_t i = 0; i < acquisitions_.size(); ++i) {
      auto values = acquire(acquisitions_[i], probs, samples).to(torch::kFloat32).contiguous();
      std::memcpy(unit.scores[i].data() + offset, values.data_ptr<float>(), count * sizeof(float));
    }
  }

 private:
  // uint8 (or float features) to float in one pass, with the input normalisation fused in;
  // padding rows of a short last batch are zeroed.
  void convert(const pool::Batch& batch) {
    float* out = input_.data_ptr<float>();
    const std::size_t n = batch.count * elements_;
    const float a = affine_.scale, b = affine_.shift;
    if (!batch.pixels.empty()) {
      const std::uint8_t* in = batch.pixels.data();
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]) * a + b;
    } else {
      const float* in = batch.features.data();
      for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * a + b;
    }
    const std::size_t total = static_cast<std::size_t>(input_.numel());
    if (n < total) std::fill(out + n, out + total, 0.0f);
  }

  static void copy_half(const torch::Tensor& values, Float16* out) {
    auto half = values.to(torch::kHalf).contiguous();
    std::memcpy(static_cast<void*>(out), half.data_ptr<at::Half>(), half.numel() * sizeof(Float16));
  }

  // Records the ids of items whose logits are NaN or infinite (reported per work unit).
  void check_finite(const torch::Tensor& logits, const pool::Batch& batch) {
    if (torch::isfinite(logits).all().item<bool>()) return;
    auto bad_rows = (~torch::isfinite(logits)).any(1).nonzero().flatten();
    for (std::int64_t i = 0; i < bad_rows.size(0); ++i)
      nonfinite_.push_back(batch.ids[static_cast<std::size_t>(bad_rows[i].item<std::int64_t>())]);
  }

  torch::Tensor monte_carlo(std::uint64_t first_row, std::int64_t count) {
    std::vector<torch::Tensor> passes;
    for (int pass = 0; pass < options_.mc_samples; ++pass) {
      torch::manual_seed(pass_seed(options_.seed, first_row, pass));
      auto logits = model_.forward_stochastic(input_).logits.narrow(0, 0, count);
      passes.push_back(torch::softmax(logits, 1));
    }
    return torch::stack(passes);
  }

  static torch::Tensor acquire(const std::string& name, const torch::Tensor& probs,
                               const torch::Tensor& samples) {
    if (name == "margin") return margin(probs);
    if (name == "entropy") return entropy(probs);
    if (name == "least_confidence") return least_confidence(probs);
    if (name == "bald") return bald(samples);
    return variation_ratio(samples);
  }

  model::LoadedModel& model_;
  const std::vector<std::string>& acquisitions_;
  const ScoreOptions& options_;
  model::InputAffine affine_;
  torch::Tensor input_;
  std::size_t elements_ = 0;
  std::vector<std::uint64_t> nonfinite_;
};

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
};

// This rank's share of the pending units, scored and committed one by one; returns true when a
// stop was requested (on any rank) and this rank stopped after its current unit.
bool score_units(const comm::Communicator& world, const UnitPlan& plan, BatchScorer& scorer,
                 const Checkpoint& checkpoint, const ScoreOptions& options, ScoreSummary& summary) {
  const auto& pending = plan.pending;
  std::uint64_t pending_items = 0;
  for (auto unit : pending)
    pending_items += unit_rows(plan.pool.count, plan.unit_size, unit).size();
  comm::Progress progress(world, "scoring", pending_items);
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
      unit.reset(pending[u], unit_range, plan.pool.classes.size(), plan.embedding_dim,
                 plan.acquisitions);
      for (std::uint64_t row = unit_range.begin; row < unit_range.end;) {
        const pool::Batch* batch = reader.next();
        if (!batch) throw Error("pool reader ended before unit " + std::to_string(pending[u]));
        scorer.score(*batch, unit);
        row += batch->count;
        progress.advance(batch->count);
      }
      scorer.throw_if_nonfinite(options.model.string());
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

}  // namespace

ScoreSummary score_pool(const comm::Communicator& world, const ScoreOptions& options) {
  const auto started = Clock::now();
  if (options.batch == 0) throw UsageError("--batch must be at least 1");
  std::vector<std::string> acquisitions;
  pool::PoolMeta pool;
  std::optional<model::LoadedModel> model;
  const auto placement = comm::node_placement(world);
  const int threads =
      options.threads > 0 ? options.threads : model::default_threads_per_rank(placement.local_size);
  model::use_threads(threads);
  c10::InferenceMode inference;

  // Every rank checks the inputs the same way: bad input ends the job with one message.
  comm::on_every_rank_agreed(world, [&] {
    acquisitions = resolve_acquisitions(options);
    check_output_path(options.out, options.force);
    pool = pool::PoolFile::open(options.pool).meta();
    if (pool.classes.empty())
      throw InputError(options.pool.string(), "attribute classes", "is missing or empty",
                       "scoring needs the class names; re-import the pool");
    std::vector<std::int64_t> shape(pool.shape.dims.begin(), pool.shape.dims.end());
    model.emplace(model::LoadedModel::load(
        options.model, shape, static_cast<std::int64_t>(pool.classes.size()),
        {options.input_scale, options.input_mean, options.input_std}));
    if (options.mc_samples > 0) {
      shape.insert(shape.begin(), static_cast<std::int64_t>(options.batch));
      model->enable_monte_carlo(shape);
    }
    if (options.optimize) model->optimize_for_inference();
  });

  std::string model_sha256;
  comm::on_root_for_all(world, [&] { model_sha256 = sha256_file(options.model); });
  model_sha256 = world.broadcast(model_sha256, 0);

  const std::uint64_t unit_size = rows_per_unit(pool, options);
  const std::uint64_t units = unit_count(pool.count, unit_size);
  nlohmann::json settings = {{"pool", fs::absolute(options.pool).lexically_normal().string()},
                             {"pool_items", pool.count},
                             {"model_sha256", model_sha256},
                             {"batch", options.batch},
                             {"unit_rows", unit_size},
                             {"acquisitions", acquisitions},
                             {"mc_samples", options.mc_samples},
                             {"seed", options.seed},
                             {"optimize", options.optimize},
                             {"quarry_version", std::string(version())}};
  if (!model->normalises_itself())
    settings["input_normalisation"] = {options.input_scale, options.input_mean, options.input_std};
  const Checkpoint checkpoint(Checkpoint::folder_for(options.out));
  comm::on_root_for_all(world, [&] {
    Checkpoint::prepare(checkpoint.folder(), settings, options.resume, options.force);
  });

  // Units already committed (by an earlier, interrupted run) are skipped; the rest are spread
  // over the ranks in contiguous runs.
  const auto committed = checkpoint.committed(units);
  std::vector<std::uint64_t> pending;
  for (std::uint64_t unit = 0; unit < units; ++unit)
    if (!committed[unit]) pending.push_back(unit);
  ScoreSummary summary;
  summary.items = pool.count;
  summary.units = units;
  summary.units_resumed = units - pending.size();
  summary.threads = threads;
  if (world.is_root() && summary.units_resumed > 0)
    spdlog::info("resuming: {} of {} units already committed in {}", summary.units_resumed, units,
                 checkpoint.folder().string());
  BatchScorer scorer(*model, pool, acquisitions, options);
  scorer.warm_up();
  const auto scoring_started = Clock::now();
  const std::uint64_t embedding_dim = model->embedding_size() > 0
                                          ? static_cast<std::uint64_t>(model->embedding_size())
                                          : pool.classes.size();
  bool stopped = false;
  try {
    stopped = score_units(world, {pool, unit_size, embedding_dim, acquisitions.size(), pending},
                          scorer, checkpoint, options, summary);
  } catch (const InputError&) {
    // The model's output is bad input: nothing of this run may remain. Units committed by an
    // earlier run stay (their model had the same sha256, so they are as good as they were).
    if (summary.units_resumed == 0) checkpoint.remove();
    throw;
  }
  summary.score_seconds = std::chrono::duration<double>(Clock::now() - scoring_started).count();
  summary.scored_now = world.allreduce(summary.scored_now, comm::Op::sum);
  summary.score_seconds = world.allreduce(summary.score_seconds, comm::Op::max);
  if (world.any(stopped)) {
    Interrupted interrupted(
        fmt::format("interrupted: units are committed in {}", checkpoint.folder().string()),
        "run the same command with --resume to finish");
    interrupted.set_on_every_rank();
    throw interrupted;
  }

  // Assemble the scores file from the units and publish it with its manifest.
  ScoresMeta meta;
  meta.count = pool.count;
  meta.classes = pool.classes.size();
  meta.embedding_dim = model->embedding_size() > 0
                           ? static_cast<std::uint64_t>(model->embedding_size())
                           : pool.classes.size();
  meta.class_names = pool.classes;
  meta.acquisitions = acquisitions;
  meta.pool = options.pool.string();
  meta.model = options.model.string();
  meta.model_sha256 = model_sha256;
  meta.ranks = world.size();
  meta.mc_samples = options.mc_samples;
  meta.quarry_version = std::string(version());

  std::optional<AtomicOutput> output;
  std::string temp;
  comm::on_root_for_all(world, [&] {
    output.emplace(options.out, options.force ? Overwrite::replace : Overwrite::refuse);
    temp = output->temp_path().string();
  });
  temp = world.broadcast(temp, 0);
  assemble_scores(world, temp, meta, checkpoint, unit_size,
                  pool.chunk_rows ? pool.chunk_rows : options.batch);
  comm::on_root_for_all(world, [&] {
    Manifest manifest("score");
    manifest.add_input("pool", options.pool);
    manifest.add_input("model", options.model);
    for (const auto& [key, value] : settings.items()) manifest.set_setting(key, value);
    manifest.set_setting("threads_per_rank", threads);
    manifest.set_ranks(world.size());
    manifest.set_timing("scoring", summary.score_seconds);
    retract_manifest(options.out);
    output->commit();
    manifest.add_output("scores", options.out);
    manifest.publish_for(options.out);
    checkpoint.remove();
  });
  summary.total_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace quarry::score

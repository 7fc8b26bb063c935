#include "simulate/one_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "comm/session.hpp"
#include "core/error.hpp"
#include "core/seeded.hpp"
#include "files/ledger/ledger.hpp"
#include "files/manifest/partial_run.hpp"
#include "files/pool/schema.hpp"
#include "ingest/ingest_run.hpp"
#include "model/builtin.hpp"
#include "score/pipeline.hpp"
#include "select/select_batch.hpp"
#include "simulate/annotators.hpp"
#include "train/trainer.hpp"

namespace quarry::simulate {

namespace fs = std::filesystem;

GroundTruth read_ground_truth(const fs::path& path) {
  const auto pool = pool::PoolFile::open(path);
  if (!pool.labels())
    throw InputError(path.string(), "/labels", "is missing: simulated annotators need the truth",
                     "use a pool imported with labels (quarry pool import --split train)");
  GroundTruth truth;
  truth.ids = pool.ids().read_all<std::uint64_t>();
  const auto labels = pool.labels()->read_all<std::int32_t>();
  truth.classes = pool.meta().classes.size();
  truth.label.reserve(truth.ids.size());
  for (std::size_t i = 0; i < truth.ids.size(); ++i) truth.label.emplace(truth.ids[i], labels[i]);
  return truth;
}

std::vector<std::uint64_t> initial_batch(const std::vector<std::uint64_t>& ids, std::size_t count,
                                         std::uint64_t seed) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> keyed;
  keyed.reserve(ids.size());
  for (auto id : ids)
    keyed.emplace_back(keyed_hash(derive_seed(seed, Purpose::seed_batch), id), id);
  count = std::min(count, keyed.size());
  std::partial_sort(keyed.begin(), keyed.begin() + std::ptrdiff_t(count), keyed.end());
  std::vector<std::uint64_t> batch;
  for (std::size_t i = 0; i < count; ++i) batch.push_back(keyed[i].second);
  std::sort(batch.begin(), batch.end());
  return batch;
}

fs::path RunFiles::file(const char* stem, int round, const char* ext) const {
  return dir / fmt::format("{}-{:04d}.{}", stem, round, ext);
}

namespace {

// Rank 0: the simulated annotators answer the batch, and quarry ingest takes their CSV.
std::size_t annotate_and_ingest(const SimulateOptions& o, const GroundTruth& truth,
                                const std::vector<std::uint64_t>& batch, std::uint64_t seed,
                                int round, const RunFiles& files) {
  const auto answers =
      simulate_answers(batch, truth.label, o.annotators, o.votes_per_item, truth.classes, seed);
  const auto csv = files.file("answers", round, "csv");
  write_answers_csv(csv, answers, o.annotators);
  ingest::IngestRequest request;
  request.annotations = {csv};
  request.format = ingest::AnnotationFormat::csv;
  request.pool = o.pool;
  request.ledger = files.ledger();
  request.consensus = ingest::parse_consensus_method(o.consensus);
  request.min_confidence = o.min_confidence;
  request.round = round + 1;
  const auto report = ingest::run_ingest(request);
  if (report.rejected > 0)
    throw Error(
        fmt::format("{}: ingest rejected {} simulated answers", csv.string(), report.rejected));
  return answers.size();
}

// A fresh model gets the examples budget; a warm-started one continues with --epochs only, as
// quarry cycle continues the previous round's model.
int epochs_for(const SimulateOptions& o, std::uint64_t labels, bool fresh) {
  if (!fresh || o.train_images == 0 || labels == 0) return o.epochs;
  return std::max<int>(o.epochs, int((o.train_images + labels / 2) / labels));
}

void remove_quietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
  fs::remove(fs::path(path.string() + ".manifest.json"), ignored);
}

}  // namespace

nlohmann::json run_settings(const SimulateOptions& o, const std::string& strategy,
                            std::uint64_t seed) {
  nlohmann::json annotators = nlohmann::json::array();
  for (const auto& a : o.annotators)
    annotators.push_back({{"accuracy", a.accuracy}, {"confusion", a.confusion}});
  nlohmann::json settings = {{"strategy", strategy},
                             {"seed", seed},
                             {"pool", fs::absolute(o.pool).lexically_normal().string()},
                             {"test_pool", fs::absolute(o.test_pool).lexically_normal().string()},
                             {"initial", o.initial},
                             {"batch", o.batch},
                             {"rounds", o.rounds},
                             {"annotators", annotators},
                             {"votes_per_item", o.votes_per_item},
                             {"consensus", o.consensus},
                             {"min_confidence", o.min_confidence},
                             {"arch", o.arch},
                             {"warm_start", o.warm_start},
                             {"epochs", o.epochs},
                             {"train_images", o.train_images},
                             {"train_batch", o.train_batch},
                             {"lr", o.lr},
                             {"augment", o.augment}};
  if (strategy != "random") {
    settings["acquisition"] = o.acquisition;
    settings["candidates"] = select::candidate_count(o.batch, o.candidates);
    settings["mc_samples"] = o.mc_samples;
  }
  return settings;
}

namespace {

// What one run carries from round to round.
struct RunState {
  std::vector<std::uint64_t> batch;  // the items to annotate next
  std::uint64_t votes = 0;           // answers bought so far
  fs::path scores_for_random;        // random's one scores file (its draws need no fresh scores)
  std::vector<fs::path> selections;  // earlier batches: pending items are not bought twice
  std::vector<CurvePoint> curve;
};

// Rank 0: a fresh run folder with its settings, the initial model and the random first batch.
void start_run(const comm::Communicator& world, const SimulateOptions& o,
               const std::string& strategy, std::uint64_t seed, const GroundTruth& truth,
               const RunFiles& files, RunState& state) {
  comm::on_root_for_all(world, [&] {
    fs::remove_all(files.dir);
    fs::create_directories(files.dir);
    write_file_atomically(files.settings(), run_settings(o, strategy, seed).dump(2) + "\n");
    model::write_builtin_model(model::spec_for_pool(o.pool, o.arch, seed), files.dir / "init.pt",
                               Overwrite::replace);
    state.batch = initial_batch(truth.ids, o.initial, seed);
  });
}

// The simulated annotators answer the batch (rank 0), then every rank trains on the ledger.
train::TrainSummary annotate_and_train(const comm::Communicator& world, const SimulateOptions& o,
                                       std::uint64_t seed, int round, const GroundTruth& truth,
                                       const RunFiles& files, RunState& state) {
  std::uint64_t answered = 0, labels = 0;
  comm::on_root_for_all(world, [&] {
    answered = annotate_and_ingest(o, truth, state.batch, seed, round, files);
    labels = ingest::read_ledger(files.ledger()).size();
  });
  state.votes += world.broadcast(answered, 0);
  labels = world.broadcast(labels, 0);

  train::TrainOptions t;
  t.pool = o.pool;
  t.labels = files.ledger();
  const bool fresh = !o.warm_start || round == 0;
  t.model = fresh ? files.dir / "init.pt" : files.file("model", round - 1, "pt");
  t.out = files.file("model", round, "pt");
  t.eval_pool = o.test_pool;
  t.epochs = epochs_for(o, labels, fresh);
  t.batch = o.train_batch;
  t.lr = o.lr;
  t.augment = o.augment;
  t.seed = derive_seed(seed, Purpose::training, std::uint64_t(round));
  t.threads = o.threads;
  t.force = true;
  return train::train_model(world, t);
}

// Scores the pool with the round's model; random scores once and reuses the file, since its
// draw depends only on (seed, id) and the exclusions.
fs::path score_round(const comm::Communicator& world, const SimulateOptions& o,
                     const std::string& strategy, std::uint64_t seed, int round,
                     const RunFiles& files, RunState& state) {
  if (strategy == "random" && !state.scores_for_random.empty()) return state.scores_for_random;
  score::ScoreOptions s;
  s.pool = o.pool;
  s.model = files.file("model", round, "pt");
  s.out = files.file("scores", round, "h5");
  s.mc_samples = o.mc_samples;
  s.seed = seed;
  s.threads = o.threads;
  s.force = true;
  score::score_pool(world, s);
  if (strategy == "random") state.scores_for_random = s.out;
  return s.out;
}

void select_round(const comm::Communicator& world, const SimulateOptions& o,
                  const std::string& strategy, std::uint64_t seed, int round,
                  const fs::path& scores, const RunFiles& files, RunState& state) {
  select::SelectOptions s;
  s.scores = scores;
  s.out = files.file("selection", round, "h5");
  s.k = o.batch;
  s.strategy = select::parse_strategy(strategy);
  s.acquisition = o.acquisition;
  s.labels = files.ledger();
  s.exclude = state.selections;
  s.seed = derive_seed(seed, Purpose::selection, std::uint64_t(round));
  s.candidates = select::candidate_count(o.batch, o.candidates);
  s.overwrite = Overwrite::replace;
  state.batch = select::run_select(world, s).ids;
  state.selections.push_back(s.out);
}

// Keeps the disk use flat: a round's model and scores are not needed once the next exists.
void drop_last_rounds_files(const comm::Communicator& world, const SimulateOptions& o, int round,
                            const RunFiles& files, const RunState& state) {
  if (!o.keep_files && world.is_root() && round > 0) {
    remove_quietly(files.file("model", round - 1, "pt"));  // this round trained already
    const auto old_scores = files.file("scores", round - 1, "h5");
    if (old_scores != state.scores_for_random) remove_quietly(old_scores);
  }
  world.barrier();
}

}  // namespace

std::vector<CurvePoint> run_one(const comm::Communicator& world, const SimulateOptions& o,
                                const std::string& strategy, std::uint64_t seed,
                                const GroundTruth& truth, const RunFiles& files) {
  RunState state;
  start_run(world, o, strategy, seed, truth, files, state);
  for (int round = 0;; ++round) {
    const auto trained = annotate_and_train(world, o, seed, round, truth, files, state);
    state.curve.push_back(
        {strategy, seed, round, trained.labeled, trained.eval.accuracy, state.votes});
    if (world.is_root())
      std::cout << fmt::format(
                       "simulate {} seed {} round {}: {} labels, {} votes, accuracy {:.4f}\n",
                       strategy, seed, round, trained.labeled, state.votes, trained.eval.accuracy)
                << std::flush;
    if (round == o.rounds) break;
    const fs::path scores = score_round(world, o, strategy, seed, round, files, state);
    select_round(world, o, strategy, seed, round, scores, files, state);
    drop_last_rounds_files(world, o, round, files, state);
  }
  comm::on_root_for_all(world, [&] {
    AtomicOutput output(files.curve(), Overwrite::replace);
    std::ofstream(output.temp_path()) << curve_csv(state.curve);
    output.commit();
  });
  return state.curve;
}

}  // namespace quarry::simulate

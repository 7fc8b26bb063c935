#include "simulate/one_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
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
#include "pipeline/label_audit.hpp"
#include "pipeline/round_options.hpp"
#include "score/pipeline.hpp"
#include "select/select_batch.hpp"
#include "simulate/annotators.hpp"
#include "simulate/first_round.hpp"
#include "simulate/object_round.hpp"
#include "stopping/stop_set.hpp"
#include "train/trainer.hpp"

namespace quarry::simulate {

namespace fs = std::filesystem;

GroundTruth read_ground_truth(const fs::path& path) {
  const auto pool = pool::PoolFile::open(path);
  if (pool.meta().task.kind != pool::Task::classify) {
    if (!pool.meta().task.has_objects)
      throw InputError(path.string(), "/objects",
                       "is missing: simulated annotators need the true objects",
                       "use a pool made with its objects (quarry pool synth --task, or pool "
                       "import --format coco)");
    GroundTruth truth;
    truth.ids = pool.ids().read_all<std::uint64_t>();
    truth.classes = pool.meta().classes.size();
    truth.objects = std::make_shared<const ingest::objects::ObjectPool>(
        ingest::objects::ObjectPool::open(path));
    return truth;
  }
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

// The workspace round a simulated round runs as: its round 0 (the first training, on the
// initial labels) is a nightly cycle's round 1, whose ingest takes the answers to the seed
// round's random batch (the initial batch here).
int workspace_round(int round) {
  return round + 1;
}

// Rank 0: the simulated annotators answer the batch, and quarry ingest takes their CSV. Items
// the last label audit flagged are answered again, by a rotation and answers seeded by the
// round (their earlier answers join in: consensus decides on all of them).
std::size_t annotate_and_ingest(const SimulateOptions& o, const pipeline::RoundSettings& settings,
                                const GroundTruth& truth, const std::vector<std::uint64_t>& batch,
                                const std::vector<std::uint64_t>& recheck, int round,
                                const pipeline::RoundPaths& paths, const RunFiles& files) {
  auto answers = simulate_answers(batch, truth.label, o.annotators, o.votes_per_item, truth.classes,
                                  settings.seed);
  const auto again =
      simulate_answers(recheck, truth.label, o.annotators, o.votes_per_item, truth.classes,
                       keyed_hash(settings.seed, std::uint64_t(round)));
  answers.insert(answers.end(), again.begin(), again.end());
  const auto csv = files.file("answers", round, "csv");
  write_answers_csv(csv, answers, o.annotators);
  const auto report = ingest::run_ingest(pipeline::ingest_request(
      settings, workspace_round(round), paths, ingest::AnnotationFormat::csv, {csv}));
  if (report.rejected > 0)
    throw Error(
        fmt::format("{}: ingest rejected {} simulated answers", csv.string(), report.rejected));
  return answers.size();
}

void remove_quietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
  fs::remove(fs::path(path.string() + ".manifest.json"), ignored);
}

// What a run on a pool with objects depends on besides the classifier's settings.
void object_run_settings(const SimulateOptions& o, nlohmann::json& settings) {
  nlohmann::json annotators = nlohmann::json::array();
  for (const auto& a : o.object_annotators)
    annotators.push_back({{"corner_sd", a.corner_sd},
                          {"miss", a.miss},
                          {"false_box", a.false_box},
                          {"wrong_class", a.wrong_class},
                          {"keypoint_sd", a.keypoint_sd}});
  settings["task"] = pool::task_name(o.task);
  settings["annotators"] = annotators;
  settings["annotator_seconds"] = time_model_json(o.time);
  settings["prelabel_min_confidence"] = o.prelabel_min_confidence;
  settings["score_batch"] = o.score_batch;
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
  if (o.initial_strategy != "random") settings["initial_strategy"] = o.initial_strategy;
  if (o.audit_folds > 0) settings["audit_folds"] = o.audit_folds;
  if (o.unlabeled_pool) {
    settings["unlabeled_pool"] = true;
    settings["unlabeled_ratio"] = o.unlabeled_ratio;
  }
  if (o.stop.enabled())
    settings["stop"] = {
        {"set_size", o.stop.set_size}, {"kappa", o.stop.kappa}, {"window", o.stop.window}};
  if (o.task != pool::Task::classify) object_run_settings(o, settings);
  if (arm_strategy(strategy) != "random") {
    settings["acquisition"] = o.acquisition;
    settings["candidates"] = select::candidate_count(o.batch, o.candidates);
    settings["mc_samples"] = o.mc_samples;
  }
  return settings;
}

pipeline::RoundSettings round_settings(const SimulateOptions& o, const std::string& strategy,
                                       std::uint64_t seed) {
  pipeline::RoundSettings s;
  s.pool = o.pool;
  s.eval_pool = o.test_pool;
  s.seed = seed;
  s.task = o.task;
  s.strategy = arm_strategy(strategy);
  s.acquisition = o.acquisition;
  s.k = o.batch;
  s.candidates = o.candidates;
  s.score_threads = o.threads;  // unit_chunks (and score_batch unless set): quarry score's defaults
  if (o.score_batch > 0) s.score_batch = o.score_batch;
  s.mc_samples = o.mc_samples;
  s.arch = o.arch;
  s.warm_start = o.warm_start;
  s.epochs = o.epochs;
  s.train_images = o.train_images;
  s.train_batch = o.train_batch;
  s.lr = o.lr;
  s.augment = o.augment;
  s.unlabeled_pool = o.unlabeled_pool;
  s.unlabeled_ratio = o.unlabeled_ratio;
  s.train_threads = o.threads;
  s.consensus = o.consensus;
  s.min_confidence = o.min_confidence;
  s.prelabel_min_confidence = o.prelabel_min_confidence;
  // The stopping criterion compares every round's own predictions; pre-labels are the round
  // model's detections.
  s.random_reuses_scores = !o.stop.enabled() && !arm_uses_prelabels(strategy);
  s.stop = o.stop;
  s.audit_folds = o.audit_folds;
  return s;
}

namespace {

// What one run carries from round to round.
struct RunState {
  std::vector<std::uint64_t> batch;  // the items to annotate next
  std::uint64_t votes = 0;           // answers bought so far
  fs::path scores_for_random;        // random's one scores file (its draws need no fresh scores)
  std::vector<fs::path> selections;  // earlier batches: pending items are not bought twice
  std::vector<CurvePoint> curve;
  std::vector<stopping::RoundKappa> kappas;  // the stopping criterion's, when it is on
  std::vector<std::uint64_t> recheck;        // labels the last audit flagged: answered again
  // Pools with objects: the pre-label list of the batch's export (empty: drawn from scratch),
  // and the annotators' seconds and consensus objects so far.
  fs::path prelabels;
  double seconds = 0, scratch_seconds = 0;
  std::uint64_t objects = 0;
  std::string audit_csv = "round,labels,wrong,flagged,wrong_flagged,precision,recall\n";
};

bool reuses_scores(const pipeline::RoundSettings& settings) {
  return settings.random_reuses_scores &&
         select::parse_strategy(settings.strategy) == select::Strategy::random;
}

// The round's files in the run folder, as pipeline::round_paths lays them out in rounds/NNNN/.
pipeline::RoundPaths round_paths(const pipeline::RoundSettings& settings, int round,
                                 const RunFiles& files, const RunState& state) {
  pipeline::RoundPaths paths;
  paths.ledger = files.ledger();
  // Round 0 trains on the initial labels: no earlier round left a model.
  paths.fresh_model = pipeline::trains_fresh(settings, round > 0);
  paths.model_in = paths.fresh_model ? files.dir / "init.pt" : files.file("model", round - 1, "pt");
  paths.model = files.file("model", round, "pt");
  paths.scores = reuses_scores(settings) && !state.scores_for_random.empty()
                     ? state.scores_for_random
                     : files.file("scores", round, "h5");
  paths.selection = files.file("selection", round, "h5");
  paths.exclude = state.selections;
  return paths;
}

// TypiClust's first batch: the fresh model's embeddings of the pool, clustered into as many
// clusters as initial labels (collective). The workspace's seed round selects the same way.
void typical_first_batch(const comm::Communicator& world, const SimulateOptions& o,
                         const pipeline::RoundSettings& settings, const RunFiles& files,
                         RunState& state) {
  auto seeding = settings;
  seeding.strategy = "typiclust";
  seeding.k = o.initial;
  pipeline::RoundPaths paths;
  paths.ledger = files.ledger();  // not there yet: nothing to exclude
  paths.model = files.dir / "init.pt";
  paths.scores = files.dir / "scores-initial.h5";
  paths.selection = files.dir / "selection-initial.h5";
  score::score_pool(world, pipeline::score_options(seeding, paths));
  state.batch = select::run_select(world, pipeline::select_options(seeding, 0, paths)).ids;
  std::sort(state.batch.begin(), state.batch.end());
  if (world.is_root() && !o.keep_files) remove_quietly(paths.scores);
  world.barrier();
}

// Rank 0: a fresh run folder with its settings, the initial model and the random first batch.
// The settings are the arm's ("random+prelabels", not the "random" it selects by): --resume
// compares them with the arm's.
void start_run(const comm::Communicator& world, const SimulateOptions& o, const std::string& arm,
               const pipeline::RoundSettings& settings, const GroundTruth& truth,
               const RunFiles& files, RunState& state) {
  comm::on_root_for_all(world, [&] {
    fs::remove_all(files.dir);
    fs::create_directories(files.dir);
    write_file_atomically(files.settings(), run_settings(o, arm, settings.seed).dump(2) + "\n");
    model::write_builtin_model(pipeline::fresh_model_spec(settings), files.dir / "init.pt",
                               Overwrite::replace);
    state.batch = initial_batch(truth.ids, o.initial, settings.seed);
  });
  if (o.initial_strategy == "typiclust") typical_first_batch(world, o, settings, files, state);
}

// The simulated annotators answer the batch (rank 0), then every rank trains on the ledger.
train::TrainSummary annotate_and_train(const comm::Communicator& world, const SimulateOptions& o,
                                       const pipeline::RoundSettings& settings, int round,
                                       const GroundTruth& truth, const pipeline::RoundPaths& paths,
                                       const RunFiles& files, RunState& state) {
  std::uint64_t answered = 0, labels = 0;
  comm::on_root_for_all(world, [&] {
    if (truth.objects) {
      const auto done =
          annotate_objects(o, settings, *truth.objects, state.batch, state.prelabels,
                           workspace_round(round), paths, files.file("answers", round, "csv"));
      answered = done.answers;
      state.seconds += done.seconds;
      state.scratch_seconds += done.scratch_seconds;
      state.objects += done.objects;
    } else {
      answered =
          annotate_and_ingest(o, settings, truth, state.batch, state.recheck, round, paths, files);
    }
    labels = ingest::read_ledger(paths.ledger).size();
  });
  state.votes += world.broadcast(answered, 0);
  labels = world.broadcast(labels, 0);
  return train::train_model(
      world, pipeline::train_options(settings, workspace_round(round), paths, labels));
}

// Scores the pool with the round's model, unless the round reuses random's first scores file.
void score_round(const comm::Communicator& world, const pipeline::RoundSettings& settings,
                 const pipeline::RoundPaths& paths, RunState& state) {
  if (paths.scores == state.scores_for_random) return;
  score::score_pool(world, pipeline::score_options(settings, paths));
  if (reuses_scores(settings)) state.scores_for_random = paths.scores;
}

// Confident learning on the ledger after the round's training: its flags are answered again with
// the next batch; their precision and recall against the truth go to audit.csv.
void audit_round(const comm::Communicator& world, const pipeline::RoundSettings& settings,
                 int round, const GroundTruth& truth, const RunFiles& files, RunState& state) {
  state.recheck.clear();
  if (settings.audit_folds < 2) return;
  const auto result = pipeline::audit_labels(world, settings, workspace_round(round),
                                             files.ledger(), files.dir / "audit");
  comm::on_root_for_all(world, [&] {
    const auto ledger = ingest::read_ledger(files.ledger());
    std::size_t wrong = 0, caught = 0;
    for (std::size_t i = 0; i < ledger.size(); ++i)
      wrong += ledger.labels[i] != truth.label.at(ledger.ids[i]);
    for (const auto& flag : result.flagged) {
      caught += flag.given != truth.label.at(flag.id);
      state.recheck.push_back(flag.id);
    }
    const auto share = [](std::size_t a, std::size_t b) { return b ? double(a) / double(b) : 0.0; };
    state.audit_csv += fmt::format("{},{},{},{},{},{:.4f},{:.4f}\n", round, ledger.size(), wrong,
                                   result.flagged.size(), caught,
                                   share(caught, result.flagged.size()), share(caught, wrong));
    write_file_atomically(files.audit(), state.audit_csv);
    std::cout << fmt::format(
                     "simulate {} seed {} round {}: audit flagged {} of {} labels, {} of them "
                     "wrong; {} wrong labels on the ledger\n",
                     settings.strategy, settings.seed, round, result.flagged.size(), ledger.size(),
                     caught, wrong)
              << std::flush;
  });
}

// Rank 0: the kappa between the previous round's predictions on the stop set and this round's.
void record_kappa(const comm::Communicator& world, const pipeline::RoundSettings& settings,
                  int round, const pipeline::RoundPaths& paths, const RunFiles& files,
                  RunState& state) {
  if (!settings.stop.enabled() || round == 0) return;
  comm::on_root_for_all(world, [&] {
    state.kappas.push_back(
        {round, stopping::successive_kappa(files.file("scores", round - 1, "h5"), paths.scores,
                                           settings.stop.set_size, settings.seed)});
  });
}

// Selects the next batch; arms with pre-labels export it, as a workspace round does.
void select_round(const comm::Communicator& world, const pipeline::RoundSettings& settings,
                  int round, const pipeline::RoundPaths& paths, const RunFiles& files,
                  RunState& state) {
  state.batch =
      select::run_select(world, pipeline::select_options(settings, workspace_round(round), paths))
          .ids;
  state.selections.push_back(paths.selection);
  if (settings.task == pool::Task::classify || settings.random_reuses_scores) return;
  comm::on_root_for_all(world, [&] {
    state.prelabels = export_prelabels(settings, workspace_round(round), paths,
                                       files.dir / fmt::format("export-{:04d}", round));
  });
}

// The round's point of the curve: on pools with objects accuracy is AP@.5 (OKS-AP on keypoint
// pools) on the test pool, rank 0's.
CurvePoint curve_point(const std::string& strategy, std::uint64_t seed, int round,
                       const train::TrainSummary& trained, const RunState& state) {
  CurvePoint p{strategy, seed, round, trained.labeled, trained.eval.accuracy, state.votes};
  const auto& d = trained.detection;
  if (d.boxes.stats.size() < 2) return p;
  p.objects = state.objects;
  p.seconds = state.seconds;
  p.scratch_seconds = state.scratch_seconds;
  p.ap = std::max(d.boxes.stats[0], 0.0);
  p.ap50 = std::max(d.boxes.stats[1], 0.0);
  if (d.keypoints && !d.keypoints->stats.empty()) p.oks_ap = std::max(d.keypoints->stats[0], 0.0);
  p.accuracy = d.keypoints ? p.oks_ap : p.ap50;
  return p;
}

void print_point(const CurvePoint& p, bool objects) {
  if (!objects) {
    std::cout << fmt::format("simulate {} seed {} round {}: {} labels, {} votes, accuracy {:.4f}\n",
                             p.strategy, p.seed, p.round, p.labels, p.votes, p.accuracy);
  } else {
    std::cout << fmt::format(
        "simulate {} seed {} round {}: {} images, {} objects, {:.0f} annotator s ({:.0f} from "
        "scratch), AP@.5 {:.4f}, AP {:.4f}{}\n",
        p.strategy, p.seed, p.round, p.labels, p.objects, p.seconds, p.scratch_seconds, p.ap50,
        p.ap, p.oks_ap > 0 ? fmt::format(", OKS-AP {:.4f}", p.oks_ap) : "");
  }
  std::cout << std::flush;
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

// How far the criterion's round is from where the test curve flattens (curve.hpp), the test
// labels' answer to the question the criterion answers without them.
std::string against_test_curve(const stopping::StopProgress& progress,
                               const std::vector<CurvePoint>& curve) {
  const auto flat = flattening_point(curve);
  const int flat_round = curve[flat].round;
  if (!progress.fired_round)
    return fmt::format(
        ". The test curve came within {:.1f} points of its final accuracy at round {:04d}",
        100 * kFlatTolerance, flat_round);
  const auto& fired = curve[std::size_t(*progress.fired_round)];
  const int early = flat_round - fired.round;
  return fmt::format(
      ". It fired with {} labels, {:.2f} points below the final accuracy; the test curve came "
      "within {:.1f} points of it at round {:04d}: {}",
      fired.labels, 100 * (curve.back().accuracy - fired.accuracy), 100 * kFlatTolerance,
      flat_round,
      early == 0 ? std::string("the criterion fired there")
                 : fmt::format("the criterion fired {} round(s) {}", std::abs(early),
                               early > 0 ? "early" : "late"));
}

// Rank 0: stopping.csv (round, labels, kappa against the round before) and the round it fired.
void report_stopping(const pipeline::RoundSettings& settings, const RunFiles& files,
                     const RunState& state) {
  std::string csv = "round,labels,kappa\n";
  for (const auto& k : state.kappas)
    csv +=
        fmt::format("{},{},{:.6f}\n", k.round, state.curve[std::size_t(k.round)].labels, k.kappa);
  write_file_atomically(files.stopping(), csv);
  const auto progress = stopping::track_stopping(state.kappas, settings.stop);
  std::cout << fmt::format("simulate {} seed {}: {}{}\n", settings.strategy, settings.seed,
                           stopping::describe_stopping(progress, settings.stop),
                           against_test_curve(progress, state.curve))
            << std::flush;
}

// Pools with objects, arms after random: round 0 from random's copy (first_round.hpp) when it
// kept one with the same settings. Collective.
bool adopt_round(const comm::Communicator& world, const SimulateOptions& o,
                 const std::string& strategy, std::uint64_t seed, const RunFiles& files,
                 RunState& state) {
  if (o.task == pool::Task::classify || strategy == "random") return false;
  std::optional<CurvePoint> point;
  comm::on_root_for_all(world, [&] { point = adopt_first_round(o, strategy, seed, files); });
  if (world.broadcast(std::int32_t(point.has_value()), 0) == 0) return false;
  if (world.is_root()) {
    state.curve.push_back(*point);
    state.seconds = point->seconds;
    state.scratch_seconds = point->scratch_seconds;
    state.objects = point->objects;
    std::cout << fmt::format("simulate {} seed {} round 0: the same as random's, copied\n",
                             strategy, seed);
  }
  state.votes = world.broadcast(std::uint64_t(world.is_root() ? point->votes : 0), 0);
  return true;
}

}  // namespace

std::vector<CurvePoint> run_one(const comm::Communicator& world, const SimulateOptions& o,
                                const std::string& strategy, std::uint64_t seed,
                                const GroundTruth& truth, const RunFiles& files) {
  const auto settings = round_settings(o, strategy, seed);
  RunState state;
  start_run(world, o, strategy, settings, truth, files, state);
  for (int round = 0;; ++round) {
    const auto paths = round_paths(settings, round, files, state);
    if (round > 0 || !adopt_round(world, o, strategy, seed, files, state)) {
      const auto trained =
          annotate_and_train(world, o, settings, round, truth, paths, files, state);
      state.curve.push_back(curve_point(strategy, seed, round, trained, state));
      if (round == 0 && truth.objects && strategy == "random" && world.is_root())
        keep_first_round(o, seed, files, state.curve.back());
    }
    if (world.is_root()) print_point(state.curve.back(), truth.objects != nullptr);
    audit_round(world, settings, round, truth, files, state);
    const bool last = round == o.rounds;
    if (last && !settings.stop.enabled()) break;
    // With the stopping criterion on, the last model is scored too: its kappa against the model
    // before is the one that says whether the criterion would stop the run where it ended.
    score_round(world, settings, paths, state);
    record_kappa(world, settings, round, paths, files, state);
    if (last) break;
    select_round(world, settings, round, paths, files, state);
    drop_last_rounds_files(world, o, round, files, state);
  }
  comm::on_root_for_all(world, [&] {
    if (settings.stop.enabled()) report_stopping(settings, files, state);
    AtomicOutput output(files.curve(), Overwrite::replace);
    std::ofstream(output.temp_path()) << curve_csv(state.curve, o.task != pool::Task::classify);
    output.commit();
  });
  return state.curve;
}

}  // namespace quarry::simulate

#include "pipeline/round_options.hpp"

#include <algorithm>

#include "core/seeded.hpp"
#include "files/scores/acquisitions.hpp"
#include "pipeline/workspace_config.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

RoundSettings round_settings(const WorkspaceConfig& config) {
  RoundSettings s;
  s.pool = config.text("pool");
  s.eval_pool = config.text("eval-pool");
  s.seed = std::uint64_t(config.integer("seed"));
  s.task = pool::parse_task(config.text("task"));
  s.strategy = config.text("strategy");
  s.acquisition = config.text("acquisition");
  s.k = std::size_t(config.integer("k"));
  s.seed_strategy = config.text("seed-strategy");
  s.candidates = std::size_t(config.integer("select.candidates"));
  s.score_batch = std::uint64_t(config.integer("score.batch"));
  s.score_threads = int(config.integer("score.threads"));
  s.unit_chunks = std::uint64_t(config.integer("score.unit-chunks"));
  s.mc_samples = int(config.integer("score.mc-samples"));
  s.arch = config.text("arch");
  s.warm_start = true;
  s.epochs = int(config.integer("train.epochs"));
  s.train_images = std::uint64_t(config.integer("train.images"));
  s.train_batch = config.integer("train.batch");
  s.lr = config.real("train.lr");
  s.train_threads = int(config.integer("train.threads"));
  s.unlabeled_pool = config.text("train.unlabeled-pool") == "true";
  s.unlabeled_ratio = int(config.integer("train.unlabeled-ratio"));
  s.consensus = config.text("consensus");
  s.min_confidence = config.real("min-confidence");
  s.annotator_map = config.text("annotator-map");
  s.prelabel_min_confidence = config.real("prelabel-min-confidence");
  s.random_reuses_scores = false;
  s.stop.set_size = std::size_t(config.integer("stop.set-size"));
  s.stop.kappa = config.real("stop.kappa");
  s.stop.window = int(config.integer("stop.window"));
  s.audit_folds = int(config.integer("audit.folds"));
  return s;
}

bool trains_fresh(const RoundSettings& settings, bool earlier_model) {
  return !settings.warm_start || !earlier_model;
}

ingest::IngestRequest ingest_request(const RoundSettings& settings, int round,
                                     const RoundPaths& paths, ingest::AnnotationFormat format,
                                     std::vector<fs::path> annotations) {
  ingest::IngestRequest request;
  request.annotations = std::move(annotations);
  request.format = format;
  request.pool = settings.pool;
  request.ledger = paths.ledger;
  request.consensus = ingest::parse_consensus_method(settings.consensus);
  request.min_confidence = settings.min_confidence;
  request.round = round;
  request.gold = paths.gold;
  request.prelabels = paths.prelabels;
  request.annotator_map = settings.annotator_map;
  return request;
}

namespace {

// A fresh model gets the examples budget; a continued one trains `epochs` more.
int epochs_for(const RoundSettings& settings, std::uint64_t labels, bool fresh) {
  if (!fresh || settings.train_images == 0 || labels == 0) return settings.epochs;
  return std::max<int>(settings.epochs, int((settings.train_images + labels / 2) / labels));
}

}  // namespace

train::TrainOptions train_options(const RoundSettings& settings, int round, const RoundPaths& paths,
                                  std::uint64_t labels) {
  train::TrainOptions options;
  options.pool = settings.pool;
  options.labels = paths.ledger;
  options.model = paths.model_in;
  options.out = paths.model;
  options.eval_pool = settings.eval_pool;
  options.epochs = epochs_for(settings, labels, paths.fresh_model);
  options.batch = settings.train_batch;
  options.lr = settings.lr;
  options.augment = settings.augment;
  options.unlabeled_pool = settings.unlabeled_pool;
  options.unlabeled_ratio = settings.unlabeled_ratio;
  options.seed = derive_seed(settings.seed, Purpose::training, std::uint64_t(round));
  options.threads = settings.train_threads;
  options.resume = true;  // continues an interrupted run's checkpoint, starts fresh otherwise
  return options;
}

score::ScoreOptions score_options(const RoundSettings& settings, const RoundPaths& paths) {
  score::ScoreOptions options;
  options.pool = settings.pool;
  options.model = paths.model;
  options.out = paths.scores;
  options.batch = settings.score_batch;
  options.threads = settings.score_threads;
  options.unit_chunks = settings.unit_chunks;
  options.mc_samples = settings.mc_samples;
  options.seed = settings.seed;
  options.resume = true;  // committed units of an interrupted run are kept
  // An acquisition the scorer computes only when named (det_localization) is named, beside the
  // defaults the other columns of the scores file hold.
  auto names = score::default_acquisitions(pool::task_name(settings.task), settings.mc_samples > 0);
  if (std::find(names.begin(), names.end(), settings.acquisition) == names.end()) {
    names.push_back(settings.acquisition);
    options.acquisitions = std::move(names);
  }
  return options;
}

select::SelectOptions select_options(const RoundSettings& settings, int round,
                                     const RoundPaths& paths) {
  select::SelectOptions options;
  options.scores = paths.scores;
  options.out = paths.selection;
  options.k = settings.k;
  options.strategy = select::parse_strategy(settings.strategy);
  options.acquisition = settings.acquisition;
  if (fs::exists(paths.ledger)) options.labels = paths.ledger;
  options.exclude = paths.exclude;
  options.seed = derive_seed(settings.seed, Purpose::selection, std::uint64_t(round));
  options.candidates = settings.candidates;
  return options;
}

exporting::ExportInputs export_inputs(const RoundSettings& settings, int round,
                                      const RoundPaths& paths) {
  exporting::ExportInputs inputs;
  inputs.selection = paths.selection;
  inputs.pool = settings.pool;
  inputs.scores = paths.scores;
  if (fs::exists(paths.ledger)) inputs.labels = paths.ledger;
  inputs.seed = derive_seed(settings.seed, Purpose::export_batch, std::uint64_t(round));
  inputs.prelabel_min_confidence = settings.prelabel_min_confidence;
  return inputs;
}

}  // namespace quarry::pipeline

#pragma once
// One wiring of a round: the options every stage of a round runs with, built from the round's
// settings, its number and its files. `quarry cycle` (stage_*.cpp, settings from quarry.ini) and
// `quarry simulate` (simulate/one_run.cpp, settings from its options) both build their stages'
// options here, so a simulation runs exactly what a nightly round runs. Torch-free: the option
// structs' headers are.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "export/gather.hpp"
#include "files/pool/objects.hpp"
#include "ingest/ingest_run.hpp"
#include "model/builtin.hpp"
#include "score/pipeline.hpp"
#include "select/select_batch.hpp"
#include "stopping/stop_criterion.hpp"
#include "train/trainer.hpp"

namespace quarry::pipeline {

class WorkspaceConfig;

// Everything a round's stages take from settings. Defaults are the stage libraries' own.
struct RoundSettings {
  std::filesystem::path pool;
  std::filesystem::path eval_pool;  // empty: no evaluation after training
  std::uint64_t seed = 0;           // the user's seed: rounds derive theirs from it
  // The pool's task: detect and keypoints pools train a detector on the ledger's objects, score
  // with /detections and export the detections as pre-labels. The other settings' defaults here
  // are the classifier's; a detection round takes its own (arch, acquisition, batch sizes, lr)
  // from pipeline/task_defaults.hpp's default_config(task).
  pool::Task task = pool::Task::classify;
  // select
  std::string strategy = select::strategy_name(select::kDefaultStrategy);
  std::string acquisition = select::SelectOptions{}.acquisition;
  std::size_t k = 0;
  // The seed round's strategy (random | typiclust): it has no labels to be uncertain about.
  std::string seed_strategy = select::strategy_name(select::Strategy::random);
  std::size_t candidates = select::SelectOptions{}.candidates;
  // score
  std::uint64_t score_batch = score::ScoreOptions{}.batch;
  int score_threads = score::ScoreOptions{}.threads;
  std::uint64_t unit_chunks = score::ScoreOptions{}.unit_chunks;
  int mc_samples = score::ScoreOptions{}.mc_samples;
  // train
  std::string arch = model::kDefaultArch;  // of a fresh model
  // true: a round continues the newest earlier round's model; false: every round trains a
  // fresh seeded model on all labels.
  bool warm_start = true;
  int epochs = train::TrainOptions{}.epochs;
  // > 0: a fresh model trains max(epochs, train_images / labels) epochs, a fixed budget of
  // examples seen, so a few labels are not undertrained; 0: always `epochs`.
  std::uint64_t train_images = 0;
  std::int64_t train_batch = train::TrainOptions{}.batch;
  double lr = train::TrainOptions{}.lr;
  bool augment = train::TrainOptions{}.augment;
  bool unlabeled_pool = train::TrainOptions{}.unlabeled_pool;   // FixMatch on the unlabeled items
  int unlabeled_ratio = train::TrainOptions{}.unlabeled_ratio;  // unlabeled per labeled item
  int train_threads = train::TrainOptions{}.threads;
  // ingest
  std::string consensus = ingest::consensus_method_name(ingest::IngestRequest{}.consensus);
  double min_confidence = ingest::IngestRequest{}.min_confidence;
  std::filesystem::path annotator_map;  // Label Studio's users (empty: none)
  // export (pools with objects): detections at least this confident become pre-labels
  double prelabel_min_confidence = exporting::kDefaultPrelabelMinConfidence;
  // Rounds after the first whose selection ignores the scores (random: its draw depends on the
  // seed, the ids and the exclusions only) select from the first round's scores file instead of
  // scoring again. quarry simulate, which exports nothing, sets it; quarry cycle scores every
  // round, since its export's pre-labels are the round model's predictions.
  bool random_reuses_scores = false;
  // The stopping criterion (off when stop.set_size is 0): the score stage records the kappa of
  // successive rounds' predictions on the stop set.
  stopping::StopSettings stop;
  // Confident learning after training (pipeline/label_audit.hpp): out-of-fold predictions from
  // this many fresh models, each trained without one fold of the ledger (0: off; at least 2).
  int audit_folds = 0;

  bool operator==(const RoundSettings&) const = default;
};

// quarry cycle: the workspace's settings (quarry.ini). No key sets warm_start (cycle always
// continues the previous model; the seed round's untrained one counts as fresh) or augment (the
// trainer's default).
RoundSettings round_settings(const WorkspaceConfig& config);

// Where one round's files are: rounds/NNNN/ and the workspace's ledger for quarry cycle, the
// run folder for quarry simulate.
struct RoundPaths {
  std::filesystem::path ledger;     // created by the first ingest
  std::filesystem::path model_in;   // what training starts from
  bool fresh_model = false;         // model_in is a fresh seeded model, not an earlier round's
  std::filesystem::path model;      // train's output, score's input
  std::filesystem::path scores;     // score's output, select's input
  std::filesystem::path selection;  // select's output
  std::vector<std::filesystem::path> exclude;    // earlier rounds' selections (pending items)
  std::vector<std::filesystem::path> gold;       // CSV id,label files of known items, for ingest
  std::vector<std::filesystem::path> prelabels;  // exports' pre-label lists, for ingest
};

// Whether a round trains a fresh model rather than continuing `earlier_model` (whether an
// earlier round left one).
bool trains_fresh(const RoundSettings& settings, bool earlier_model);

// The seeded fresh model every fresh start uses (reads the pool's shape and classes). Inline, so
// the builders themselves need no model library.
inline model::ModelSpec fresh_model_spec(const RoundSettings& settings) {
  return model::spec_for_pool(settings.pool, settings.arch, settings.seed);
}

// The stages' options. `round` is the workspace round number (round 0 is the seed round; the
// answers ingested in round N are those to round N-1's batch); every per-round seed derives from
// (settings.seed, the stage's purpose, round). Interrupted runs resume: score from its committed
// units, train from its epoch checkpoint.
ingest::IngestRequest ingest_request(const RoundSettings& settings, int round,
                                     const RoundPaths& paths, ingest::AnnotationFormat format,
                                     std::vector<std::filesystem::path> annotations);
// `labels`: items on the ledger (a fresh model's epoch budget).
train::TrainOptions train_options(const RoundSettings& settings, int round, const RoundPaths& paths,
                                  std::uint64_t labels);
// The dropout masks' seed is settings.seed itself, the same every round.
score::ScoreOptions score_options(const RoundSettings& settings, const RoundPaths& paths);
// Excludes the ledger's items when the ledger exists.
select::SelectOptions select_options(const RoundSettings& settings, int round,
                                     const RoundPaths& paths);
// The batch to export: the round's selection with the round model's scores (its predictions are
// the pre-labels), the ledger when it exists. Workspace-only inputs (annotators, gold-rate) are
// the caller's.
exporting::ExportInputs export_inputs(const RoundSettings& settings, int round,
                                      const RoundPaths& paths);

}  // namespace quarry::pipeline

#pragma once
// What `quarry simulate` runs: R rounds of active learning per strategy and seed on a pool with
// ground truth, simulated annotators answering through the real ingest, the real trainer
// retraining and evaluating on a test pool, the real scorer and selector choosing the batches.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/atomic_output.hpp"
#include "export/gather.hpp"
#include "files/pool/objects.hpp"
#include "model/builtin.hpp"
#include "pipeline/round_options.hpp"
#include "simulate/annotator_time.hpp"
#include "simulate/object_annotators.hpp"
#include "stopping/stop_criterion.hpp"
#include "train/trainer.hpp"

namespace quarry::simulate {

// One simulated annotator: right with probability `accuracy`; a wrong answer is the class this
// annotator confuses the true class with (a fixed pairing per annotator) with probability
// `confusion`, else uniform over the other classes.
struct AnnotatorModel {
  std::string name;
  double accuracy = 0.9;
  double confusion = 0.5;
};

struct SimulateOptions {
  // with /labels (or /objects on detect and keypoint pools): the truth the annotators see
  std::filesystem::path pool;
  std::filesystem::path test_pool;      // labeled: accuracy after each round's training
  std::filesystem::path out;            // folder: curve.csv, summary.csv, report.html, runs/
  std::vector<std::string> strategies;  // random is always run (the baseline)
  std::vector<std::uint64_t> seeds = {1};
  std::size_t initial = 500;  // random labels before the first round
  // How the initial labels are picked: random, or typiclust (typical items of as many clusters
  // of the fresh model's embeddings, Hacohen et al. 2022).
  std::string initial_strategy = "random";
  std::size_t batch = 500;  // labels bought per round
  int rounds = 10;          // selection rounds after the initial training
  std::vector<AnnotatorModel> annotators;
  int votes_per_item = 3;                 // annotators asked per item
  std::string consensus = "dawid-skene";  // majority | dawid-skene
  double min_confidence = 0.0;            // below it an item waits for adjudication
  // Model and training: a new workspace's defaults (what a user gets untuned)
  std::string arch = model::kDefaultArch;
  // false: every round trains a fresh model (seeded) on all labels
  bool warm_start = pipeline::RoundSettings{}.warm_start;
  int epochs = train::TrainOptions{}.epochs;
  // When > 0, a fresh model trains max(epochs, train_images / labels) epochs: a fixed budget
  // of examples seen, so a few labels are not undertrained (warm starts: round 0 only).
  std::uint64_t train_images = 0;
  std::int64_t train_batch = train::TrainOptions{}.batch;
  double lr = train::TrainOptions{}.lr;
  bool augment = train::TrainOptions{}.augment;
  bool unlabeled_pool = false;  // FixMatch on the pool's unlabeled items (quarry train's)
  int unlabeled_ratio = train::TrainOptions{}.unlabeled_ratio;  // unlabeled per labeled item
  int threads = 0;                                              // per rank; 0: as quarry score
  // Selection
  std::string acquisition = "margin";
  std::size_t candidates = 0;  // as quarry select: 0 is 2 x batch
  int mc_samples = 0;
  // The stopping criterion (off when stop.set_size is 0): each run reports the round it fires.
  stopping::StopSettings stop;
  // Confident learning after each round's training with this many folds (0: off): flagged
  // labels are answered again with the next batch; each run writes audit.csv.
  int audit_folds = 0;
  // Pools with objects (detect, keypoints): the pool's task, the correcting annotators, what their
  // time costs, and the detections export shows as pre-labels. Every listed strategy runs with
  // pre-labels ("<strategy>+prelabels"); random runs both without ("random", what a team does
  // today, the baseline) and with them ("random+prelabels").
  pool::Task task = pool::Task::classify;
  std::vector<ObjectAnnotatorModel> object_annotators = default_object_annotators();
  TimeModel time;
  double prelabel_min_confidence = exporting::kDefaultPrelabelMinConfidence;
  std::uint64_t score_batch = 0;  // 0: quarry score's default
  bool keep_files = false;        // keep every round's model and scores (else only the last ones)
  Overwrite overwrite = Overwrite::refuse;
};

// Parses "0.95,0.9:0.3,..." (accuracy[:confusion] per annotator, named sim1, sim2, ...).
std::vector<AnnotatorModel> parse_annotators(const std::string& text);

// "random,margin-kcenter" -> names; "1,2,3" -> seeds (UsageError naming the option otherwise).
std::vector<std::string> parse_list(const std::string& text);
std::vector<std::uint64_t> parse_seeds(const std::string& text);

// UsageError naming the option when the options cannot work (votes above annotators, ...).
void check_options(const SimulateOptions& options);

// The pool's task (classify where the file cannot tell: check_inputs names the problem later).
pool::Task pool_task(const std::filesystem::path& pool);

// Pools with objects: the options not `given` on the command line (names as the options') take
// the workspace defaults for the task (pipeline/task_defaults.hpp): arch, acquisition, train-batch,
// lr, epochs and the detector's score batch. Sets options.task.
void apply_task_defaults(SimulateOptions& options, pool::Task task,
                         const std::vector<std::string>& given);

// The arms of a simulation: random first (the baseline), then the listed strategies; on pools
// with objects random also runs with pre-labels and every other strategy only with them.
inline constexpr const char* kPrelabelArm = "+prelabels";
std::vector<std::string> simulation_arms(const std::vector<std::string>& strategies,
                                         pool::Task task);
std::string arm_strategy(const std::string& arm);  // the strategy an arm selects by
// What a curve's accuracy is on a pool of `task`: accuracy, AP@.5, OKS-AP.
std::string target_metric(pool::Task task);
bool arm_uses_prelabels(const std::string& arm);

}  // namespace quarry::simulate

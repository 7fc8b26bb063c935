#pragma once
// `quarry train` and `quarry eval`: data-parallel training of a TorchScript model on the ledger's
// labels (pixels from the pool), and multi-rank evaluation on a labeled pool. Torch-free header,
// so callers (the app, the round runner) do not compile torch headers.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "detect/coco_eval.hpp"
#include "train/train_names.hpp"

namespace quarry::train {

struct TrainOptions {
  std::filesystem::path pool, model, out;
  // The ledger: its labels (classification), or which items' objects train (detection; empty:
  // every item of a pool with objects).
  std::filesystem::path labels;
  std::filesystem::path eval_pool;  // optional: evaluated after training, metrics in the model
  int epochs = 10;
  std::int64_t batch = 128;  // global batch (split over ranks)
  Optimizer optimizer = Optimizer::adam;
  double lr = 1e-3, momentum = 0.9, weight_decay = 0.0;
  Schedule schedule = Schedule::cosine;
  bool class_weights = false;  // weight classes by inverse frequency
  bool augment = true;         // images: random crop with padding 2 (+ flip if --hflip)
  bool hflip = false;
  // Semi-supervised (FixMatch, train/fixmatch.hpp): the pool's unlabeled items join training,
  // `unlabeled_ratio` per labeled item of a batch, their weak view's prediction the target of
  // their strong view where its probability reaches `unlabeled_threshold`.
  bool unlabeled_pool = false;
  double unlabeled_threshold = 0.95;
  int unlabeled_ratio = 7;
  std::uint64_t seed = 0;
  int threads = 0;  // per rank; 0: as quarry score
  bool resume = false;
  bool force = false;

  bool operator==(const TrainOptions&) const = default;
};

struct EvalResult {
  std::uint64_t items = 0;
  double accuracy = 0;
  double calibration_error = 0;  // expected calibration error, 15 bins
  std::vector<std::string> classes;
  std::vector<double> class_accuracy;
  std::vector<std::vector<std::uint64_t>> confusion;  // [true][predicted]
};

// COCO evaluation of a detector on a pool with objects (cocoapi's numbers): boxes always,
// keypoints (OKS with the pool's keypoint_sigmas) on keypoint pools. Category ids are the pool's
// labels + 1, image ids its item ids.
struct DetectionEvalResult {
  std::uint64_t items = 0;
  detect::Result boxes;
  std::optional<detect::Result> keypoints;
};

// {"items", "bbox": detect::to_json(boxes), "keypoints": ... (keypoint pools)}: what `quarry
// eval --json` prints and the trained model's record keeps.
nlohmann::json detection_eval_json(const DetectionEvalResult& result);

struct TrainSummary {
  int epochs_run = 0, epochs_resumed = 0;
  std::uint64_t labeled = 0;
  double images_per_second = 0;
  double final_loss = 0;
  bool evaluated = false;
  nlohmann::json placement;  // rank 0: every rank's node, local rank and threads (the manifest's)
  EvalResult eval;           // classification pools
  DetectionEvalResult detection;  // detection and keypoint pools (rank 0)
};

// Collective. Publishes `out` atomically with a manifest; InputError (exit 2) on bad input,
// Interrupted (exit 99) after an epoch checkpoint on SIGUSR1/SIGTERM.
TrainSummary train_model(const comm::Communicator& world, const TrainOptions& options);

// Collective: every rank evaluates its shard of a labeled pool.
EvalResult evaluate_model(const comm::Communicator& world, const std::filesystem::path& pool,
                          const std::filesystem::path& model, int threads = 0);

// Collective: every rank runs the detector on its shard of a pool with objects; the detections
// are gathered to rank 0, which evaluates them once (the result is rank 0's; the others get an
// empty one).
DetectionEvalResult evaluate_detection_model(const comm::Communicator& world,
                                             const std::filesystem::path& pool,
                                             const std::filesystem::path& model, int threads = 0);

}  // namespace quarry::train

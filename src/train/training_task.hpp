#pragma once
// What differs between training a classifier and a detector, behind one interface: the training
// set, the model and how it is loaded, the loss of a rank's share of a batch, and the evaluation.
// The driver (trainer.cpp) owns everything they share: options, data parallelism, the epoch
// loop and schedule, checkpoints, resume, interruption and publishing. Includes torch.
#include <torch/script.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "comm/communicator.hpp"
#include "train/trainer.hpp"

namespace quarry::train {

class TrainingTask {
 public:
  virtual ~TrainingTask() = default;

  // The training items (epoch orders and augmentation are keyed by these ids).
  virtual std::span<const std::uint64_t> ids() const = 0;
  // The ledger the items came from ("" when every pool item trains).
  virtual const std::string& ledger_sha256() const = 0;
  // Loads (or reloads, from a checkpoint) the model; InputError when it cannot be trained here.
  virtual void load_model(const std::filesystem::path& path) = 0;
  virtual torch::jit::Module& module() = 0;
  // Forward and backward of this rank's share `mine` of the global batch `batch` (indices into
  // ids()); the loss is normalised over the whole batch, so the ranks' gradients sum to the
  // whole batch's. Returns this rank's share of the batch's loss.
  virtual double local_loss(std::span<const std::size_t> batch, std::span<const std::size_t> mine,
                            int epoch) = 0;
  // Collective: evaluates the trained model on a labeled pool into `summary` and returns the
  // figures recorded in the model's metadata and manifest.
  virtual nlohmann::json evaluate(const comm::Communicator& world,
                                  const std::filesystem::path& pool, TrainSummary& summary) = 0;
};

// Reads the training set (InputError on bad input); the model is loaded by load_model.
std::unique_ptr<TrainingTask> classification_task(const TrainOptions& options);
std::unique_ptr<TrainingTask> detection_task(const TrainOptions& options);

}  // namespace quarry::train

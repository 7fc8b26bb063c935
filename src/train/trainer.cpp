#include "train/trainer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <numbers>
#include <optional>

#include "comm/placement.hpp"
#include "comm/progress.hpp"
#include "comm/session.hpp"
#include "comm/shard.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/seeded.hpp"
#include "core/version.hpp"
#include "files/manifest/manifest.hpp"
#include "files/manifest/partial_run.hpp"
#include "files/pool/schema.hpp"
#include "model/loaded_model.hpp"
#include "model/threads.hpp"
#include "train/batches.hpp"
#include "train/data_parallel.hpp"
#include "train/training_task.hpp"

namespace quarry::train {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

void check_options(const TrainOptions& o) {
  if (o.epochs < 1) throw UsageError("--epochs must be at least 1");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (!(o.lr > 0)) throw UsageError("--lr must be positive");
  if (o.unlabeled_pool && o.unlabeled_ratio < 1)
    throw UsageError("--unlabeled-ratio must be at least 1");
  if (o.unlabeled_pool && !(o.unlabeled_threshold > 0 && o.unlabeled_threshold <= 1))
    throw UsageError("--unlabeled-threshold must be in (0, 1]");
  check_publishable(o.out, o.force ? Overwrite::replace : Overwrite::refuse);
}

double learning_rate(const TrainOptions& o, std::int64_t step, std::int64_t total) {
  const double progress = total > 0 ? double(step) / double(total) : 0.0;
  switch (o.schedule) {
    case Schedule::cosine:
      return o.lr * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    case Schedule::step:
      return o.lr * (progress >= 0.75 ? 0.01 : progress >= 0.5 ? 0.1 : 1.0);
    case Schedule::constant:
      break;
  }
  return o.lr;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& o,
                                                        const std::vector<torch::Tensor>& params) {
  if (o.optimizer == Optimizer::sgd)
    return std::make_unique<torch::optim::SGD>(
        params, torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
  return std::make_unique<torch::optim::Adam>(
      params, torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
}

// Epoch checkpoints in OUT.partial/: model.pt and optimizer.pt, then state.json (the epoch
// reached) last, so a checkpoint counts only once both files are whole.
struct EpochCheckpoint {
  fs::path folder;

  int completed_epochs() const {
    std::ifstream in(folder / "state.json");
    if (!in) return 0;
    auto state = nlohmann::json::parse(in, nullptr, false);
    return state.is_discarded() ? 0 : state.value("epochs_completed", 0);
  }
  void save(torch::jit::Module& module, torch::optim::Optimizer& optimizer, int epochs) const {
    module.save((folder / "model.pt.tmp").string());
    fs::rename(folder / "model.pt.tmp", folder / "model.pt");
    torch::save(optimizer, (folder / "optimizer.pt.tmp").string());
    fs::rename(folder / "optimizer.pt.tmp", folder / "optimizer.pt");
    // fsync the two files (not syncfs of the whole file system: with few labels an epoch takes
    // less than flushing everything else that is dirty).
    sync_to_disk(folder / "model.pt");
    sync_to_disk(folder / "optimizer.pt");
    write_file_atomically(folder / "state.json",
                          nlohmann::json{{"epochs_completed", epochs}}.dump() + "\n");
  }
};

// What training reads before the first step: the training set and model (the task), and the
// settings that a resumed run must share with the run it continues.
struct TrainingInputs {
  std::unique_ptr<TrainingTask> task;
  nlohmann::json settings;
  Manifest manifest{"train"};  // rank 0: the inputs' fingerprints, taken before any rank read them
};

// Rank 0: stamps the inputs before any rank reads them; the pools' sha256 is read on a thread
// while the ranks load and train.
void fingerprint_inputs(Manifest& manifest, const TrainOptions& options) {
  manifest.add_input("pool", options.pool, Manifest::Hashing::beside_the_work);
  if (!options.labels.empty()) manifest.add_input("labels", options.labels);
  manifest.add_input("model", options.model);
  if (!options.eval_pool.empty())
    manifest.add_input("eval_pool", options.eval_pool, Manifest::Hashing::beside_the_work);
}

// The pool's task picks the training: classification needs the ledger's labels; detection and
// keypoint pools train on their ground-truth objects (of the ledger's items when given one).
std::unique_ptr<TrainingTask> open_task(const TrainOptions& options) {
  if (pool::PoolFile::open(options.pool).meta().task.kind != pool::Task::classify)
    return detection_task(options);
  if (options.labels.empty())
    throw UsageError("--labels is required to train on a classification pool");
  return classification_task(options);
}

TrainingInputs load_inputs(const comm::Communicator& world, const TrainOptions& options) {
  TrainingInputs in;
  comm::agree_on_errors(world, [&] { check_options(options); });
  comm::on_root_for_all(world, [&] { fingerprint_inputs(in.manifest, options); });
  comm::agree_on_errors(world, [&] {
    in.task = open_task(options);
    in.task->load_model(options.model);
  });
  std::string model_sha256;
  comm::on_root_for_all(world, [&] { model_sha256 = in.manifest.input_sha256("model"); });
  model_sha256 = world.broadcast(model_sha256, 0);
  in.settings = {{"pool", fs::absolute(options.pool).lexically_normal().string()},
                 {"ledger_sha256", in.task->ledger_sha256()},
                 {"model_sha256", model_sha256},
                 {"epochs", options.epochs},
                 {"batch", options.batch},
                 {"optimizer", name_of(options.optimizer)},
                 {"lr", options.lr},
                 {"momentum", options.momentum},
                 {"weight_decay", options.weight_decay},
                 {"schedule", name_of(options.schedule)},
                 {"class_weights", options.class_weights},
                 {"augment", options.augment},
                 {"hflip", options.hflip},
                 {"unlabeled_pool", options.unlabeled_pool},
                 {"unlabeled_threshold", options.unlabeled_threshold},
                 {"unlabeled_ratio", options.unlabeled_ratio},
                 {"seed", options.seed},
                 {"quarry_version", std::string(version())}};
  return in;
}

// The epochs an earlier, interrupted run completed (0 for a fresh start); with some, the model
// continues from the checkpoint's weights.
int resume_epochs(const comm::Communicator& world, const TrainOptions& options,
                  const EpochCheckpoint& checkpoint, TrainingInputs& in) {
  comm::on_root_for_all(world, [&] {
    prepare_partial_folder(checkpoint.folder, in.settings, options.resume, options.force);
  });
  const int resumed = world.broadcast(world.is_root() ? checkpoint.completed_epochs() : 0, 0);
  if (resumed > 0) {
    in.task->load_model(checkpoint.folder / "model.pt");
    if (world.is_root())
      spdlog::info("resuming at epoch {} of {} from {}", resumed + 1, options.epochs,
                   checkpoint.folder.string());
  }
  return resumed;
}

// One epoch of data-parallel steps over the whole training set. Each rank takes its share of
// every global batch; losses are normalised over the global batch and gradients summed over
// ranks, so P ranks take the same step as one rank with the whole batch.
class EpochRunner {
 public:
  EpochRunner(const comm::Communicator& world, const TrainOptions& options, TrainingTask& task,
              torch::optim::Optimizer& optimizer, DataParallel& parallel)
      : world_(world),
        options_(options),
        task_(task),
        optimizer_(optimizer),
        parallel_(parallel),
        n_(static_cast<std::int64_t>(task.ids().size())),
        steps_((n_ + options.batch - 1) / options.batch) {}

  // The mean loss over the training items.
  double run(int epoch) {
    task_.module().train(true);
    const auto order = epoch_order(task_.ids(), options_.seed, epoch);
    comm::Progress progress(world_, fmt::format("epoch {}/{}", epoch + 1, options_.epochs),
                            static_cast<std::uint64_t>(n_));
    double loss_sum = 0;
    for (std::int64_t step = 0; step < steps_; ++step) {
      const std::int64_t first = step * options_.batch;
      const std::int64_t global = std::min(options_.batch, n_ - first);
      const auto mine =
          comm::shard_range(static_cast<std::uint64_t>(global), world_.size(), world_.rank());
      for (auto& group : optimizer_.param_groups())
        group.options().set_lr(
            learning_rate(options_, epoch * steps_ + step, steps_ * options_.epochs));
      optimizer_.zero_grad();
      if (!mine.empty()) {
        std::span<const std::size_t> batch(order.data() + first, static_cast<std::size_t>(global));
        loss_sum += task_.local_loss(batch, batch.subspan(mine.begin, mine.size()), epoch) *
                    static_cast<double>(global);
        images_ += mine.size();
        progress.advance(mine.size());
      }
      parallel_.allreduce_gradients();
      optimizer_.step();
    }
    progress.finish();
    return world_.allreduce(loss_sum, comm::Op::sum) / static_cast<double>(n_);
  }

  std::uint64_t images() const { return images_; }

 private:
  const comm::Communicator& world_;
  const TrainOptions& options_;
  TrainingTask& task_;
  torch::optim::Optimizer& optimizer_;
  DataParallel& parallel_;
  std::int64_t n_, steps_;
  std::uint64_t images_ = 0;
};

// After an epoch's checkpoint: a stop requested on any rank ends the run (exit 99).
void stop_if_interrupted(const comm::Communicator& world, const TrainOptions& options,
                         const EpochCheckpoint& checkpoint, int epoch) {
  world.barrier();  // the checkpoint is on disk before anyone acts on a stop
  if (!world.any(interrupt_requested()) || epoch + 1 >= options.epochs) return;
  Interrupted interrupted(fmt::format("interrupted after epoch {} of {}; the checkpoint is in {}",
                                      epoch + 1, options.epochs, checkpoint.folder.string()),
                          "run the same command with --resume to continue");
  interrupted.set_on_every_rank();
  throw interrupted;
}

// Rank 0: the trained model with its training record, published atomically with its manifest,
// unless an input changed during the run: then nothing is published and the epoch checkpoints go
// too (they were trained on what was read), exit 2 on every rank.
void publish_model(const comm::Communicator& world, const TrainOptions& options, TrainingInputs& in,
                   const TrainSummary& summary, const nlohmann::json& evaluation, double seconds,
                   const EpochCheckpoint& checkpoint) {
  comm::on_root_for_all(world, [&] {
    auto& module = in.task->module();
    nlohmann::json metadata = {{"ledger_sha256", in.task->ledger_sha256()},
                               {"labeled_items", in.task->ids().size()},
                               {"epochs", options.epochs},
                               {"ranks", world.size()},
                               {"final_loss", summary.final_loss},
                               {"settings", in.settings}};
    if (summary.evaluated) metadata["eval"] = evaluation;
    if (module.hasattr("quarry_training"))
      module.setattr("quarry_training", metadata.dump());
    else
      module.register_attribute("quarry_training", c10::StringType::get(), metadata.dump());
    AtomicOutput output(options.out, options.force ? Overwrite::replace : Overwrite::refuse);
    module.save(output.temp_path().string());
    Manifest& manifest = in.manifest;
    try {
      manifest.verify_inputs();
    } catch (const InputError&) {
      fs::remove_all(checkpoint.folder);
      throw;
    }
    for (const auto& [key, value] : in.settings.items()) manifest.set_setting(key, value);
    manifest.set_ranks(world.size());
    manifest.set_placement(summary.placement);
    manifest.set_timing("training", seconds);
    if (summary.evaluated) manifest.set_setting("eval", evaluation);
    retract_manifest(options.out);
    output.commit();
    manifest.add_output("model", options.out);
    manifest.publish_for(options.out);
    fs::remove_all(checkpoint.folder);
  });
}

}  // namespace

TrainSummary train_model(const comm::Communicator& world, const TrainOptions& options) {
  const auto placement = comm::node_placement(world);
  const int threads = comm::threads_per_rank(options.threads, placement);
  model::use_threads(threads);
  TrainingInputs in = load_inputs(world, options);
  const EpochCheckpoint checkpoint{partial_folder_for(options.out)};
  TrainSummary summary;
  summary.placement = comm::placement_record(world, placement, threads);
  summary.labeled = in.task->ids().size();
  summary.epochs_resumed = resume_epochs(world, options, checkpoint, in);

  auto& module = in.task->module();
  std::vector<torch::Tensor> parameters;
  for (auto parameter : module.parameters()) parameters.push_back(parameter.requires_grad_(true));
  if (parameters.empty())
    throw InputError(options.model.string(), "parameters", "the model has no parameters to train");
  DataParallel parallel(world, parameters);
  parallel.broadcast_parameters(0);  // every rank starts from rank 0's weights
  auto optimizer = make_optimizer(options, parameters);
  // Every rank reads the same file: the optimizer state is the same on every rank.
  if (summary.epochs_resumed > 0)
    torch::load(*optimizer, (checkpoint.folder / "optimizer.pt").string());
  torch::manual_seed(derive_seed(options.seed, Purpose::training_dropout,
                                 static_cast<std::uint64_t>(world.rank())));

  EpochRunner epochs(world, options, *in.task, *optimizer, parallel);
  const auto started = Clock::now();
  {
    // Epochs check the flag after their checkpoint; elsewhere a signal ends the run at once.
    const CheckpointedSection checkpointed;
    for (int epoch = summary.epochs_resumed; epoch < options.epochs; ++epoch) {
      summary.final_loss = epochs.run(epoch);
      summary.epochs_run = epoch + 1 - summary.epochs_resumed;
      if (world.is_root()) {
        spdlog::info("epoch {}/{}: loss {:.4f}", epoch + 1, options.epochs, summary.final_loss);
        checkpoint.save(module, *optimizer, epoch + 1);
      }
      stop_if_interrupted(world, options, checkpoint, epoch);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  summary.images_per_second =
      seconds > 0 ? double(world.allreduce(epochs.images(), comm::Op::sum)) / seconds : 0.0;
  module.train(false);
  nlohmann::json evaluation;
  if (!options.eval_pool.empty()) {
    evaluation = in.task->evaluate(world, options.eval_pool, summary);
    summary.evaluated = true;
  }
  publish_model(world, options, in, summary, evaluation, seconds, checkpoint);
  return summary;
}

}  // namespace quarry::train

#include <fmt/format.h>

#include <iostream>

#include "app/commands.hpp"
#include "app/eval_report.hpp"
#include "comm/communicator.hpp"
#include "comm/session.hpp"
#include "files/pool/objects.hpp"
#include "files/pool/schema.hpp"
#include "train/trainer.hpp"

namespace quarry::app {

int run_train(const CommandLine& line) {
  train::TrainOptions d;
  po::options_description options("train");
  options.add_options()("pool", po::value<std::string>(), "pool the labeled items come from")(
      "labels", po::value<std::string>(),
      "label ledger (from quarry ingest); detection and keypoint pools: the labeled items whose "
      "ground-truth objects train (omitted: every item of the pool)")(
      "model", po::value<std::string>(), "TorchScript model to start from")(
      "out", po::value<std::string>(), "trained model to write")(
      "eval-pool", po::value<std::string>(), "labeled pool to evaluate on after training")(
      "epochs", po::value<int>()->default_value(d.epochs), "passes over the labeled items")(
      "batch", po::value<std::int64_t>()->default_value(d.batch),
      "global batch size (split over the ranks)")(
      "optimizer", po::value<std::string>()->default_value(train::name_of(d.optimizer)),
      "adam | sgd")("lr", po::value<double>()->default_value(d.lr), "peak learning rate")(
      "momentum", po::value<double>()->default_value(d.momentum), "sgd momentum")(
      "weight-decay", po::value<double>()->default_value(d.weight_decay), "L2 weight decay")(
      "schedule", po::value<std::string>()->default_value(train::name_of(d.schedule)),
      "cosine | constant | step (x0.1 at 50% and 75%)")(
      "class-weights", "weight the loss by inverse class frequency (imbalanced labels)")(
      "augment", po::value<bool>()->default_value(d.augment),
      "images: random crop with 2 pixels of padding; detection: mirror, scale and crop jitter "
      "moving the objects along")(
      "hflip", "classification: also mirror left-right (only where that keeps the class)")(
      "unlabeled-pool",
      "classification of uint8 images: also learn from the pool's unlabeled items (FixMatch)")(
      "unlabeled-threshold", po::value<double>()->default_value(d.unlabeled_threshold),
      "FixMatch: weak-view probability a pseudo-label needs")(
      "unlabeled-ratio", po::value<int>()->default_value(d.unlabeled_ratio),
      "FixMatch: unlabeled items per labeled item of a batch")(
      "seed", po::value<std::uint64_t>()->default_value(d.seed), "shuffling and augmentation seed")(
      "threads", po::value<int>()->default_value(d.threads),
      "threads per rank (0: as quarry score)")(
      "resume", "continue from the last epoch checkpoint (OUT.partial/)")(
      "force", "replace OUT, and discard a partial run of it");
  auto values =
      parse(line, "--pool POOL.h5 [--labels LEDGER.h5] --model MODEL.pt --out MODEL.pt", options);
  if (!values) return 0;
  train::TrainOptions o;
  o.pool = required<std::string>(*values, "pool");
  if (values->count("labels")) o.labels = (*values)["labels"].as<std::string>();
  o.model = required<std::string>(*values, "model");
  o.out = required<std::string>(*values, "out");
  if (values->count("eval-pool")) o.eval_pool = (*values)["eval-pool"].as<std::string>();
  o.epochs = (*values)["epochs"].as<int>();
  o.batch = (*values)["batch"].as<std::int64_t>();
  o.lr = (*values)["lr"].as<double>();
  o.momentum = (*values)["momentum"].as<double>();
  o.weight_decay = (*values)["weight-decay"].as<double>();
  o.class_weights = values->count("class-weights") > 0;
  o.augment = (*values)["augment"].as<bool>();
  o.hflip = values->count("hflip") > 0;
  o.unlabeled_pool = values->count("unlabeled-pool") > 0;
  o.unlabeled_threshold = (*values)["unlabeled-threshold"].as<double>();
  o.unlabeled_ratio = (*values)["unlabeled-ratio"].as<int>();
  o.seed = (*values)["seed"].as<std::uint64_t>();
  o.threads = (*values)["threads"].as<int>();
  o.resume = values->count("resume") > 0;
  o.force = values->count("force") > 0;

  comm::Communicator world(MPI_COMM_WORLD);
  comm::agree_on_errors(world, [&] {
    o.optimizer = train::parse_optimizer((*values)["optimizer"].as<std::string>());
    o.schedule = train::parse_schedule((*values)["schedule"].as<std::string>());
  });
  const auto summary = train::train_model(world, o);
  if (world.is_root()) {
    std::cout << fmt::format(
        "train: {} labeled items, {} epoch(s) run ({} resumed) on {} rank(s): {:.0f} images/s, "
        "final loss {:.4f} -> {}\n",
        summary.labeled, summary.epochs_run, summary.epochs_resumed, world.size(),
        summary.images_per_second, summary.final_loss, o.out.string());
    if (summary.evaluated)
      std::cout << (summary.detection.items > 0 ? format_detection_table(summary.detection)
                                                : format_eval_table(summary.eval));
  }
  return 0;
}

int run_eval(const CommandLine& line) {
  po::options_description options("eval");
  options.add_options()("pool", po::value<std::string>(),
                        "labeled pool, or a pool with objects (COCO AP)")(
      "model", po::value<std::string>(), "TorchScript model")(
      "json", "print JSON instead of a table")("threads", po::value<int>()->default_value(0),
                                               "threads per rank (0: as quarry score)");
  auto values = parse(line, "--pool POOL.h5 --model MODEL.pt [--json]", options);
  if (!values) return 0;
  comm::Communicator world(MPI_COMM_WORLD);
  const std::string pool = required<std::string>(*values, "pool");
  const std::string model = required<std::string>(*values, "model");
  const int threads = (*values)["threads"].as<int>();
  const bool json = values->count("json") > 0;
  bool detection = false;
  comm::agree_on_errors(world, [&] {
    detection = pool::PoolFile::open(pool).meta().task.kind != pool::Task::classify;
  });
  if (detection) {
    const auto result = train::evaluate_detection_model(world, pool, model, threads);
    if (world.is_root())
      std::cout << (json ? train::detection_eval_json(result).dump(2) + "\n"
                         : format_detection_table(result));
    return 0;
  }
  const auto result = train::evaluate_model(world, pool, model, threads);
  if (world.is_root())
    std::cout << (json ? eval_json(result).dump(2) + "\n" : format_eval_table(result));
  return 0;
}

}  // namespace quarry::app

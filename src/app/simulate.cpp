#include <fmt/format.h>

#include <iostream>

#include "app/commands.hpp"
#include "comm/communicator.hpp"
#include "select/select_batch.hpp"
#include "simulate/simulation.hpp"

namespace quarry::app {

namespace {

// Every option with its default from SimulateOptions.
po::options_description simulate_options() {
  const simulate::SimulateOptions d;
  po::options_description options("simulate");
  options.add_options()("pool", po::value<std::string>(), "pool with ground truth (/labels)")(
      "test-pool", po::value<std::string>(), "labeled pool the accuracy is measured on")(
      "out", po::value<std::string>(), "folder for curve.csv, summary.csv, report.html, runs/")(
      "strategies",
      po::value<std::string>()->default_value(select::strategy_name(select::kDefaultStrategy)),
      "comma-separated strategies (random is always run as the baseline)")(
      "seeds", po::value<std::string>()->default_value(fmt::format("{}", fmt::join(d.seeds, ","))),
      "comma-separated seeds")("initial", po::value<std::size_t>()->default_value(d.initial),
                               "labels to start with")(
      "initial-strategy", po::value<std::string>()->default_value(d.initial_strategy),
      "how the initial labels are picked: random | typiclust")(
      "batch", po::value<std::size_t>()->default_value(d.batch), "labels bought per round")(
      "rounds", po::value<int>()->default_value(d.rounds), "selection rounds")(
      "annotators", po::value<std::string>()->default_value("0.95,0.9,0.85:0.7,0.8"),
      "simulated annotators: accuracy[:confusion] each (confusion: share of errors that go to "
      "the class this annotator mixes up)")("votes-per-item",
                                            po::value<int>()->default_value(d.votes_per_item),
                                            "annotators asked per item (the cost in votes)")(
      "consensus", po::value<std::string>()->default_value(d.consensus), "majority | dawid-skene")(
      "min-confidence", po::value<double>()->default_value(d.min_confidence),
      "consensus confidence an item needs to be labeled")(
      "arch", po::value<std::string>()->default_value(d.arch),
      "small-cnn | mlp | centernet-small (the default on pools with objects)")(
      "warm-start", po::value<bool>()->default_value(d.warm_start),
      "continue from the previous round's model instead of a fresh seeded one")(
      "epochs", po::value<int>()->default_value(d.epochs), "training epochs per round")(
      "train-images", po::value<std::uint64_t>()->default_value(d.train_images),
      "examples seen per round: max(epochs, N / labels) epochs (0: just --epochs)")(
      "train-batch", po::value<std::int64_t>()->default_value(d.train_batch), "training batch")(
      "lr", po::value<double>()->default_value(d.lr), "learning rate")(
      "augment", po::value<bool>()->default_value(d.augment), "random-crop augmentation")(
      "unlabeled-pool", po::value<bool>()->default_value(d.unlabeled_pool),
      "also train on the unlabeled pool items (FixMatch, quarry train --unlabeled-pool)")(
      "unlabeled-ratio", po::value<int>()->default_value(d.unlabeled_ratio),
      "FixMatch: unlabeled items per labeled item of a batch (quarry train --unlabeled-ratio)")(
      "acquisition", po::value<std::string>()->default_value(d.acquisition),
      "acquisition the strategies rank by (pools with objects: the workspace's default for the "
      "task unless given)")(
      "candidates", po::value<std::size_t>()->default_value(d.candidates),
      "uncertainty pre-filter size (margin-kcenter, cluster-margin; 0: 2 x batch)")(
      "mc-samples", po::value<int>()->default_value(d.mc_samples),
      "Monte-Carlo dropout passes when scoring (bald, variation_ratio)")(
      "audit-folds", po::value<int>()->default_value(d.audit_folds),
      "confident learning after training with this many folds (0: off); flagged labels are "
      "answered again with the next batch")(
      "stop-set", po::value<std::size_t>()->default_value(d.stop.set_size),
      "stopping criterion: stop-set items whose predictions successive rounds compare (0: off)")(
      "stop-kappa", po::value<double>()->default_value(d.stop.kappa),
      "stopping criterion: kappa to reach")(
      "stop-window", po::value<int>()->default_value(d.stop.window),
      "stopping criterion: successive rounds at or above --stop-kappa")(
      "object-annotators", po::value<std::string>(),
      "pools with objects: simulated annotators as corner:miss:false:class:keypoint each "
      "(default: part 2's four careful ones)")(
      "annotator-seconds", po::value<std::string>()->default_value(""),
      "pools with objects: KEY=SECONDS overrides of the time model (draw, verify, image, "
      "extreme, adjust, delete, keypoint; README 'quarry simulate')")(
      "box-drawing", po::value<std::string>()->default_value(box_drawing_name(d.time.drawing)),
      "pools with objects: how boxes are drawn, drag | extreme-clicking")(
      "prelabel-min-confidence", po::value<double>()->default_value(d.prelabel_min_confidence),
      "pools with objects: detections at least this confident are exported as pre-labels")(
      "threads", po::value<int>()->default_value(d.threads),
      "threads per rank (0: as quarry score)")("keep-files",
                                               "keep every round's model and scores file")(
      "resume", "reuse the runs of OUT/runs that finished")(
      "force", "replace the results of an earlier simulation in OUT");
  return options;
}

}  // namespace

int run_simulate(const CommandLine& line) {
  auto values = parse(line, "--config FILE | --pool POOL.h5 --test-pool TEST.h5 --out DIR",
                      simulate_options());
  if (!values) return 0;
  simulate::SimulateOptions o;
  o.pool = required<std::string>(*values, "pool");
  o.test_pool = required<std::string>(*values, "test-pool");
  o.out = required<std::string>(*values, "out");
  o.strategies = simulate::parse_list((*values)["strategies"].as<std::string>());
  o.seeds = simulate::parse_seeds((*values)["seeds"].as<std::string>());
  o.initial = (*values)["initial"].as<std::size_t>();
  o.initial_strategy = (*values)["initial-strategy"].as<std::string>();
  o.audit_folds = (*values)["audit-folds"].as<int>();
  o.stop.set_size = (*values)["stop-set"].as<std::size_t>();
  o.stop.kappa = (*values)["stop-kappa"].as<double>();
  o.stop.window = (*values)["stop-window"].as<int>();
  o.batch = (*values)["batch"].as<std::size_t>();
  o.rounds = (*values)["rounds"].as<int>();
  o.annotators = simulate::parse_annotators((*values)["annotators"].as<std::string>());
  o.votes_per_item = (*values)["votes-per-item"].as<int>();
  o.consensus = (*values)["consensus"].as<std::string>();
  o.min_confidence = (*values)["min-confidence"].as<double>();
  o.arch = (*values)["arch"].as<std::string>();
  o.warm_start = (*values)["warm-start"].as<bool>();
  o.epochs = (*values)["epochs"].as<int>();
  o.train_images = (*values)["train-images"].as<std::uint64_t>();
  o.train_batch = (*values)["train-batch"].as<std::int64_t>();
  o.lr = (*values)["lr"].as<double>();
  o.augment = (*values)["augment"].as<bool>();
  o.unlabeled_pool = (*values)["unlabeled-pool"].as<bool>();
  o.unlabeled_ratio = (*values)["unlabeled-ratio"].as<int>();
  o.acquisition = (*values)["acquisition"].as<std::string>();
  o.candidates = (*values)["candidates"].as<std::size_t>();
  o.mc_samples = (*values)["mc-samples"].as<int>();
  o.threads = (*values)["threads"].as<int>();
  o.keep_files = values->count("keep-files") > 0;
  if (values->count("object-annotators"))
    o.object_annotators =
        simulate::parse_object_annotators((*values)["object-annotators"].as<std::string>());
  o.time = simulate::parse_time_model((*values)["annotator-seconds"].as<std::string>());
  o.time.drawing = simulate::parse_box_drawing((*values)["box-drawing"].as<std::string>());
  o.prelabel_min_confidence = (*values)["prelabel-min-confidence"].as<double>();
  std::vector<std::string> given;
  for (const auto& [name, value] : *values)
    if (!value.defaulted()) given.push_back(name);
  simulate::apply_task_defaults(o, simulate::pool_task(o.pool), given);
  o.overwrite = values->count("force") ? Overwrite::replace : Overwrite::refuse;

  comm::Communicator world(MPI_COMM_WORLD);
  const auto result = simulate::run_simulation(world, o, values->count("resume") > 0);
  if (world.is_root())
    std::cout << result.table
              << fmt::format("simulate: {} points -> {}, {}, {}\n", result.points.size(),
                             result.curve_csv.string(), result.summary_csv.string(),
                             result.report.string());
  return 0;
}

}  // namespace quarry::app

#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "comm/communicator.hpp"
#include "score/pipeline.hpp"

namespace quarry::app {

namespace {
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}
}  // namespace

int run_score(const CommandLine& line) {
  score::ScoreOptions defaults;
  po::options_description options("score");
  options.add_options()("pool", po::value<std::string>(), "pool file")(
      "model", po::value<std::string>(), "TorchScript model (see the model contract)")(
      "out", po::value<std::string>(), "scores file to write")(
      "resume", "continue an interrupted run from its committed units (OUT.partial/)")(
      "force", "replace OUT, and discard a partial run of it")(
      "acquisitions", po::value<std::string>(),
      "comma-separated: margin,entropy,least_confidence,bald,variation_ratio (default: the "
      "first three, plus the last two with --mc-samples); on pools with objects det_margin_*, "
      "det_entropy_*, det_keypoint_* (* = max|mean|sum), det_heatmap_entropy, det_heatmap_bald, "
      "det_localization (docs/score.md)")(
      "mc-samples", po::value<int>()->default_value(defaults.mc_samples),
      "Monte-Carlo dropout passes per batch for bald and variation_ratio (0: off)")(
      "min-confidence", po::value<double>()->default_value(defaults.min_confidence),
      "pools with objects: detections below this confidence are neither stored nor scored")(
      "seed", po::value<std::uint64_t>()->default_value(defaults.seed),
      "seed for the dropout masks")(
      "batch", po::value<std::uint64_t>()->default_value(defaults.batch), "items per forward pass")(
      "threads", po::value<int>()->default_value(defaults.threads),
      "torch and BLAS threads per rank (0: SLURM_CPUS_PER_TASK, else cores / ranks on the node)")(
      "optimize", po::value<bool>()->default_value(defaults.optimize),
      "freeze the model and run torch::jit::optimize_for_inference (true|false)")(
      "unit-chunks", po::value<std::uint64_t>()->default_value(defaults.unit_chunks),
      "pool chunks per checkpointed work unit")(
      "input-scale", po::value<double>()->default_value(defaults.input_scale),
      "for models without their own normalisation: x = (pixel * scale - mean) / std")(
      "input-mean", po::value<double>()->default_value(defaults.input_mean), "see --input-scale")(
      "input-std", po::value<double>()->default_value(defaults.input_std), "see --input-scale");
  auto values = parse(line, "--pool POOL.h5 --model MODEL.pt --out SCORES.h5 [--resume]", options);
  if (!values) return 0;
  score::ScoreOptions o;
  o.pool = required<std::string>(*values, "pool");
  o.model = required<std::string>(*values, "model");
  o.out = required<std::string>(*values, "out");
  o.resume = values->count("resume") > 0;
  o.force = values->count("force") > 0;
  if (values->count("acquisitions"))
    o.acquisitions = split_list((*values)["acquisitions"].as<std::string>());
  o.mc_samples = (*values)["mc-samples"].as<int>();
  o.seed = (*values)["seed"].as<std::uint64_t>();
  o.min_confidence = (*values)["min-confidence"].as<double>();
  o.batch = (*values)["batch"].as<std::uint64_t>();
  o.threads = (*values)["threads"].as<int>();
  o.optimize = (*values)["optimize"].as<bool>();
  o.unit_chunks = (*values)["unit-chunks"].as<std::uint64_t>();
  o.input_scale = (*values)["input-scale"].as<double>();
  o.input_mean = (*values)["input-mean"].as<double>();
  o.input_std = (*values)["input-std"].as<double>();

  comm::Communicator world(MPI_COMM_WORLD);
  const auto summary = score::score_pool(world, o);
  if (world.is_root())
    std::cout << fmt::format(
        "score: {} items ({} scored now, {} of {} units resumed) on {} rank(s){} x {} thread(s): "
        "{:.0f} items/s scoring, {:.2f} s total -> {}\n",
        summary.items, summary.scored_now, summary.units_resumed, summary.units, world.size(),
        summary.nodes > 1 ? fmt::format(" over {} nodes", summary.nodes) : "", summary.threads,
        summary.score_seconds > 0 ? double(summary.scored_now) / summary.score_seconds : 0.0,
        summary.total_seconds, o.out.string());
  return 0;
}

}  // namespace quarry::app

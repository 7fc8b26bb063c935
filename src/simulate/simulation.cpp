#include "simulate/simulation.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "comm/session.hpp"
#include "core/error.hpp"
#include "files/manifest/manifest.hpp"
#include "files/manifest/partial_run.hpp"
#include "select/select_batch.hpp"
#include "simulate/one_run.hpp"
#include "simulate/simulation_report.hpp"

namespace quarry::simulate {

namespace fs = std::filesystem;

namespace {

void publish_text(const fs::path& path, const std::string& text, Overwrite overwrite) {
  AtomicOutput output(path, overwrite);
  {
    std::ofstream out(output.temp_path());
    out << text;
    if (!out.flush()) throw Error(fmt::format("{}: cannot write", path.string()));
  }
  output.commit();
}

void check_inputs(const SimulateOptions& o, bool resume) {
  check_options(o);
  if (o.pool.empty()) throw UsageError("--pool is required");
  if (o.test_pool.empty()) throw UsageError("--test-pool is required");
  if (o.out.empty()) throw UsageError("--out is required");
  for (const auto& strategy : o.strategies) {
    try {
      select::parse_strategy(arm_strategy(strategy));
    } catch (const UsageError& error) {
      throw UsageError(std::string("--strategies: ") + error.what(), error.hint());
    }
  }
  if (!fs::exists(o.pool)) throw InputError(o.pool.string(), "file", "does not exist");
  if (!fs::exists(o.test_pool)) throw InputError(o.test_pool.string(), "file", "does not exist");
  if (fs::exists(o.out / "curve.csv") && o.overwrite == Overwrite::refuse && !resume)
    throw UsageError(
        fmt::format("{} holds a finished simulation; pass --force to replace it or "
                    "--resume to reuse its finished runs",
                    o.out.string()));
}

// Rank 0 checks the inputs and reads the pool's labels, the simulated annotators' answers.
GroundTruth prepare(const comm::Communicator& world, const SimulateOptions& options, bool resume) {
  GroundTruth truth;
  comm::on_root_for_all(world, [&] {
    check_inputs(options, resume);
    fs::create_directories(options.out / "runs");
    truth = read_ground_truth(options.pool);
    if (truth.ids.size() < options.initial + std::size_t(options.rounds) * options.batch)
      throw UsageError(
          fmt::format("the pool holds {} items, fewer than --initial {} + --rounds "
                      "{} x --batch {}",
                      truth.ids.size(), options.initial, options.rounds, options.batch));
  });
  return truth;
}

// One (strategy, seed) run's learning curve: run now, or with --resume read back from a finished
// run with the same settings. The curve is complete on rank 0.
std::vector<CurvePoint> curve_of_run(const comm::Communicator& world,
                                     const SimulateOptions& options, const std::string& strategy,
                                     std::uint64_t seed, const GroundTruth& truth,
                                     const RunFiles& files, bool resume) {
  // Every rank sees the same file system answer: rank 0 decides and tells the others.
  bool reuse = false;
  comm::on_root_for_all(world, [&] {
    reuse = resume && fs::exists(files.curve());
    if (reuse) check_same_settings(files.settings(), run_settings(options, strategy, seed));
  });
  reuse = world.broadcast(std::int32_t(reuse), 0) != 0;
  if (!reuse) return run_one(world, options, strategy, seed, truth, files);
  if (!world.is_root()) return {};
  std::cout << fmt::format("simulate {} seed {}: reusing {}\n", strategy, seed,
                           files.curve().string());
  return parse_curve_csv(files.curve());
}

void record_settings(Manifest& manifest, const SimulateOptions& options,
                     const std::vector<std::string>& strategies) {
  nlohmann::json strategies_json = strategies;
  manifest.set_setting("strategies", strategies_json);
  manifest.set_setting("seeds", options.seeds);
  manifest.set_setting("initial", options.initial);
  manifest.set_setting("batch", options.batch);
  manifest.set_setting("rounds", options.rounds);
  manifest.set_setting("votes_per_item", options.votes_per_item);
  manifest.set_setting("consensus", options.consensus);
  manifest.set_setting("arch", options.arch);
  manifest.set_setting("epochs", options.epochs);
  manifest.set_setting("train_images", options.train_images);
  manifest.set_setting("warm_start", options.warm_start);
}

// Rank 0, pools with objects: the summary against random with pre-labels too, each seed against
// both baselines, and the seconds to reach random's final AP in the printed table.
void publish_object_summaries(const SimulateOptions& options, SimulationResult& result) {
  const std::string with = std::string("random") + kPrelabelArm;
  const auto against_prelabels = summarise(result.points, with);
  publish_text(options.out / "summary-vs-random-prelabels.csv",
               summary_csv(against_prelabels, true), Overwrite::replace);
  publish_text(
      options.out / "seeds.csv",
      per_seed_csv(per_seed(result.points, "random"), "random") +
          per_seed_csv(per_seed(result.points, with), with).substr(per_seed_csv({}, with).size()),
      Overwrite::replace);
  result.table += "\nannotator seconds to reach random's final " + target_metric(options.task) +
                  ":\n" + seconds_table(result.summary, "random (no pre-labels)") +
                  seconds_table(against_prelabels, with);
}

// Rank 0: the summary against random, and the curve, summary and report files.
void publish_results(const SimulateOptions& options, bool resume, const fs::path& example_run,
                     SimulationResult& result) {
  const bool objects = options.task != pool::Task::classify;
  result.summary = summarise(result.points);
  double random_accuracy = 0, random_labels = 0;
  std::size_t n = 0;
  for (auto seed : options.seeds) {
    const auto c = curve_of(result.points, "random", seed);
    random_accuracy += c.back().accuracy, random_labels += double(c.back().labels), ++n;
  }
  result.table = summary_table(result.summary, std::uint64_t(random_labels / double(n) + 0.5),
                               random_accuracy / double(n), target_metric(options.task));
  result.curve_csv = options.out / "curve.csv";
  result.summary_csv = options.out / "summary.csv";
  result.report = options.out / "report.html";
  // --resume and --force both mean the old results are being replaced on purpose.
  const auto overwrite = resume ? Overwrite::replace : options.overwrite;
  for (const auto& path : {result.curve_csv, result.summary_csv, result.report})
    retract_manifest(path);
  publish_text(result.curve_csv, curve_csv(result.points, objects), overwrite);
  publish_text(result.summary_csv, summary_csv(result.summary, objects), overwrite);
  if (objects) publish_object_summaries(options, result);
  publish_text(options.out / "summary.txt", result.table, Overwrite::replace);
  write_simulation_report(result.report, options, result.points, result.summary, example_run,
                          overwrite);
}

}  // namespace

SimulationResult run_simulation(const comm::Communicator& world, const SimulateOptions& options,
                                bool resume) {
  const auto strategies = simulation_arms(options.strategies, options.task);
  const GroundTruth truth = prepare(world, options, resume);
  Manifest manifest("simulate");
  if (world.is_root()) {
    manifest.add_input("pool", options.pool);
    manifest.add_input("test_pool", options.test_pool);
  }
  SimulationResult result;
  fs::path example_run;
  for (const auto& strategy : strategies)
    for (auto seed : options.seeds) {
      const RunFiles files{options.out / "runs" / strategy / fmt::format("seed-{}", seed)};
      if (strategy != "random") example_run = files.dir;
      const auto curve = curve_of_run(world, options, strategy, seed, truth, files, resume);
      result.points.insert(result.points.end(), curve.begin(), curve.end());
    }
  comm::on_root_for_all(world, [&] {
    publish_results(options, resume, example_run, result);
    record_settings(manifest, options, strategies);
    manifest.set_ranks(world.size());
    manifest.add_output("curve", result.curve_csv);
    manifest.add_output("summary", result.summary_csv);
    manifest.add_output("report", result.report);
    manifest.publish_for(result.curve_csv);
  });
  return result;
}

}  // namespace quarry::simulate

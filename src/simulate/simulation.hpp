#pragma once
// `quarry simulate`: for each strategy (random always among them) and seed, R rounds of
//   simulated annotators -> quarry ingest -> train (evaluate on the test pool) -> score -> select
// through the stage libraries, in-process; then the learning-curve CSV, the summary (labels to
// reach random's final accuracy, saving versus random, spread over seeds) and an HTML report.
#include <filesystem>
#include <vector>

#include "comm/communicator.hpp"
#include "simulate/curve.hpp"
#include "simulate/options.hpp"

namespace quarry::simulate {

struct SimulationResult {
  std::vector<CurvePoint> points;
  std::vector<StrategySummary> summary;
  std::string table;  // the summary as printed
  std::filesystem::path curve_csv, summary_csv, report;
};

// Collective: every rank trains, scores and selects; rank 0 answers, ingests and writes. A run
// (strategy, seed) whose runs/<strategy>/seed-<S>/curve.csv exists is reused when `resume`.
SimulationResult run_simulation(const comm::Communicator& world, const SimulateOptions& options,
                                bool resume);

}  // namespace quarry::simulate

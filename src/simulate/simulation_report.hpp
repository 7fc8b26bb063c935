#pragma once
// The simulation's HTML report: every strategy's learning curve (mean over seeds, a band of one
// standard deviation), the summary table, and the last batch and ingest of one active run.
#include <filesystem>
#include <vector>

#include "core/atomic_output.hpp"
#include "simulate/curve.hpp"
#include "simulate/options.hpp"

namespace quarry::simulate {

// `last_run` (optional, empty path when none): a run folder whose last scores, selection and
// ledger are shown as an example of what one round did.
void write_simulation_report(const std::filesystem::path& out, const SimulateOptions& options,
                             const std::vector<CurvePoint>& points,
                             const std::vector<StrategySummary>& summary,
                             const std::filesystem::path& last_run, Overwrite overwrite);

}  // namespace quarry::simulate

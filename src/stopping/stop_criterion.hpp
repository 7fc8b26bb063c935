#pragma once
// The stopping criterion of Bloodgood and Vijay-Shanker (2009), "A method for stopping active
// learning based on stabilizing predictions": stop once Cohen's kappa between successive
// rounds' predictions on the stop set has stayed at or above a threshold for a window of rounds.
// It needs no labels: the predictions of a model that no longer changes its mind are unlikely to
// improve with more of the same labels.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace quarry::stopping {

struct StopSettings {
  std::size_t set_size = 0;  // stop-set items; 0: the criterion is off
  double kappa = 0.99;       // the paper's threshold
  int window = 3;            // the paper's window of successive rounds
  bool enabled() const { return set_size > 0; }
  bool operator==(const StopSettings&) const = default;
};

// Kappa between the predictions of `round` and of the round scored before it.
struct RoundKappa {
  int round = 0;
  double kappa = 0;
};

struct StopProgress {
  std::vector<RoundKappa> kappas;  // in round order
  int streak = 0;                  // newest successive kappas at or above the threshold
  std::optional<int> fired_round;  // the first round that completed the window (it stays fired)
};

StopProgress track_stopping(std::span<const RoundKappa> kappas, const StopSettings& settings);

// One line for quarry status, the round report and simulate: the newest kappa, how many of the
// window's rounds are at or above the threshold, and whether (and at which round) it fired.
std::string describe_stopping(const StopProgress& progress, const StopSettings& settings);

}  // namespace quarry::stopping

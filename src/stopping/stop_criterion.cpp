#include "stopping/stop_criterion.hpp"

#include <fmt/format.h>

namespace quarry::stopping {

StopProgress track_stopping(std::span<const RoundKappa> kappas, const StopSettings& settings) {
  StopProgress progress;
  progress.kappas.assign(kappas.begin(), kappas.end());
  for (const auto& k : kappas) {
    progress.streak = k.kappa >= settings.kappa ? progress.streak + 1 : 0;
    if (!progress.fired_round && progress.streak >= settings.window) progress.fired_round = k.round;
  }
  return progress;
}

std::string describe_stopping(const StopProgress& progress, const StopSettings& settings) {
  if (progress.kappas.empty())
    return fmt::format(
        "stopping: no kappa yet (it compares two successive rounds' predictions on {} stop-set "
        "items)",
        settings.set_size);
  const auto& newest = progress.kappas.back();
  const auto window =
      fmt::format("{} of {} successive round(s) at or above kappa {}",
                  std::min(progress.streak, settings.window), settings.window, settings.kappa);
  if (progress.fired_round)
    return fmt::format("stopping: fired at round {:04d}; newest kappa {:.4f} at round {:04d}, {}",
                       *progress.fired_round, newest.kappa, newest.round, window);
  return fmt::format("stopping: not yet; newest kappa {:.4f} at round {:04d}, {}", newest.kappa,
                     newest.round, window);
}

}  // namespace quarry::stopping

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/path_error.hpp"

namespace quarry {

Outcome run_guarded(const std::function<int()>& body) {
  try {
    return {with_path_errors(body), false};
  } catch (const Error& error) {
    if (!error.on_every_rank() || logging::rank() == 0) spdlog::error("{}", describe(error));
    return {error.exit_code(), error.on_every_rank()};
  } catch (const std::exception& error) {
    spdlog::error("internal error: {}\n  hint: please report this with the command that caused it",
                  error.what());
    return {kExitFailed, false};
  }
}

}  // namespace quarry

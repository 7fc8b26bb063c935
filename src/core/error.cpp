#include "core/error.hpp"

#include <spdlog/spdlog.h>

#include "core/log.hpp"

namespace quarry {

namespace {
std::string join_location(const std::string& file, const std::string& item,
                          const std::string& problem) {
  std::string text;
  for (const std::string* part : {&file, &item, &problem}) {
    if (part->empty()) continue;
    if (!text.empty()) text.append(": ");
    text.append(*part);
  }
  return text;
}
}  // namespace

InputError::InputError(const std::string& file, const std::string& item, const std::string& problem,
                       std::string hint)
    : Error(join_location(file, item, problem), std::move(hint)) {}

std::string describe(const Error& error) {
  std::string text = error.what();
  if (!error.hint().empty()) text += "\n  hint: " + error.hint();
  return text;
}

Outcome run_guarded(const std::function<int()>& body) {
  try {
    return {body(), false};
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

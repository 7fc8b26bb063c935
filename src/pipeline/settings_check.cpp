// check_settings: a bad value in quarry.ini is refused before a round changes anything, rather
// than by the stage that reads it hours later on the cluster.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "core/error.hpp"
#include "export/formats.hpp"
#include "ingest/ingest_run.hpp"
#include "pipeline/workspace_config.hpp"
#include "select/select_batch.hpp"

namespace quarry::pipeline {

namespace {

bool looks_integer(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Runs a stage library's own parser on the value; its UsageError becomes an InputError that
// names the key and where it was set.
void check_with(const WorkspaceConfig& config, const std::string& key,
                const std::function<void(const std::string&)>& parse) {
  try {
    parse(config.text(key));
  } catch (const UsageError& error) {
    throw InputError(config.origin(key), key, error.what(), error.hint());
  }
}

}  // namespace

void check_settings(const WorkspaceConfig& config) {
  for (const auto& setting : workspace_settings()) {
    if (looks_integer(setting.default_value)) config.integer(setting.key);
    if (setting.default_value.find('.') != std::string::npos &&
        looks_integer(std::string(setting.default_value).erase(setting.default_value.find('.'), 1)))
      config.real(setting.key);
  }
  if (config.integer("k") < 1) throw InputError(config.origin("k"), "k", "must be at least 1");
  if (config.real("gold-rate") < 0)
    throw InputError(config.origin("gold-rate"), "gold-rate", "must not be negative");
  check_with(config, "strategy", [](const std::string& name) {
    const auto& names = select::strategy_names();
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw UsageError(fmt::format("unknown strategy '{}'", name),
                       fmt::format("choose one of: {}", fmt::join(names, ", ")));
  });
  check_with(config, "formats", [](const std::string& text) { exporting::parse_formats(text); });
  check_with(config, "consensus",
             [](const std::string& name) { ingest::parse_consensus_method(name); });
  check_with(config, "arch", [](const std::string& arch) {
    if (arch != "small-cnn" && arch != "mlp")
      throw UsageError(fmt::format("unknown architecture '{}'", arch), "use small-cnn or mlp");
  });
}

}  // namespace quarry::pipeline

#include "stopping/stop_record.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "files/manifest/partial_run.hpp"

namespace quarry::stopping {

namespace fs = std::filesystem;

fs::path stop_record_path(const fs::path& round_dir) {
  return round_dir / "stop.json";
}

void write_stop_record(const fs::path& round_dir, int round, int previous_round, double kappa,
                       const StopSettings& settings) {
  const nlohmann::json doc = {{"round", round},
                              {"previous_round", previous_round},
                              {"kappa", kappa},
                              {"stop_set", settings.set_size},
                              {"threshold", settings.kappa},
                              {"window", settings.window}};
  write_file_atomically(stop_record_path(round_dir), doc.dump(2) + "\n");
}

std::optional<StopRecord> read_stop_record(const fs::path& round_dir) {
  const auto path = stop_record_path(round_dir);
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    const auto doc = nlohmann::json::parse(in);
    StopRecord record;
    record.kappa = {doc.at("round").get<int>(), doc.at("kappa").get<double>()};
    record.settings.set_size = doc.at("stop_set").get<std::size_t>();
    record.settings.kappa = doc.at("threshold").get<double>();
    record.settings.window = doc.at("window").get<int>();
    return record;
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path.string(), "stop record", error.what(),
                     "remove it: the next score stage of that round writes it again");
  }
}

std::optional<std::pair<StopProgress, StopSettings>> workspace_stopping(
    const std::vector<fs::path>& round_dirs) {
  std::vector<RoundKappa> kappas;
  std::optional<StopSettings> newest;
  for (const auto& dir : round_dirs)
    if (const auto record = read_stop_record(dir)) {
      kappas.push_back(record->kappa);
      newest = record->settings;
    }
  if (!newest) return std::nullopt;
  return std::make_pair(track_stopping(kappas, *newest), *newest);
}

}  // namespace quarry::stopping

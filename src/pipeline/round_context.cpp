#include "pipeline/round_context.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "files/manifest/partial_run.hpp"

namespace quarry::pipeline {

namespace {
std::filesystem::path seed_record(const std::filesystem::path& round_dir) {
  return round_dir / "seed.json";
}
}  // namespace

RoundContext make_round_context(const Workspace& workspace, int round) {
  RoundContext context{workspace, workspace.config(), round, workspace.round_dir(round), 0};
  if (round == 0) {
    const auto record = seed_record(context.dir);
    std::ifstream in(record);
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (!in || doc.is_discarded() || !doc.contains("seed_labels"))
      throw InputError(record.string(), "seed_labels", "missing or unreadable",
                       "round 0 is the seed round of quarry init --seed-labels N");
    context.seed_labels = doc["seed_labels"].get<std::uint64_t>();
  }
  return context;
}

void write_seed_record(const std::filesystem::path& round_dir, std::uint64_t seed_labels) {
  write_file_atomically(seed_record(round_dir),
                        nlohmann::json{{"seed_labels", seed_labels}}.dump(2) + "\n");
}

}  // namespace quarry::pipeline

#include "simulate/first_round.hpp"

#include <fmt/format.h>

#include <fstream>

#include "files/manifest/partial_run.hpp"

namespace quarry::simulate {

namespace fs = std::filesystem;

namespace {

fs::path kept_dir(const RunFiles& random_run) {
  return random_run.dir / "round-0";
}

// A file and its manifest, where it has one.
void copy_with_manifest(const fs::path& from, const fs::path& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  const fs::path manifest = from.string() + ".manifest.json";
  if (fs::exists(manifest))
    fs::copy_file(manifest, to.string() + ".manifest.json", fs::copy_options::overwrite_existing);
}

}  // namespace

void keep_first_round(const SimulateOptions& o, std::uint64_t seed, const RunFiles& files,
                      const CurvePoint& point) {
  const fs::path dir = kept_dir(files);
  fs::remove_all(dir);
  fs::create_directories(dir);
  copy_with_manifest(files.ledger(), dir / "labels.h5");
  copy_with_manifest(files.file("model", 0, "pt"), dir / "model.pt");
  write_file_atomically(dir / "point.csv", curve_csv({point}, true));
  // Written last: an interrupted copy is never adopted.
  write_file_atomically(dir / "settings.json", run_settings(o, "random", seed).dump(2) + "\n");
}

std::optional<CurvePoint> adopt_first_round(const SimulateOptions& o, const std::string& strategy,
                                            std::uint64_t seed, const RunFiles& files) {
  const RunFiles random{files.dir.parent_path().parent_path() / "random" / files.dir.filename()};
  const fs::path dir = kept_dir(random);
  std::ifstream settings(dir / "settings.json");
  if (!settings) return std::nullopt;
  nlohmann::json kept;
  try {
    settings >> kept;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (kept != run_settings(o, "random", seed)) return std::nullopt;
  auto points = parse_curve_csv(dir / "point.csv");
  if (points.size() != 1) return std::nullopt;
  copy_with_manifest(dir / "labels.h5", files.ledger());
  copy_with_manifest(dir / "model.pt", files.file("model", 0, "pt"));
  points[0].strategy = strategy;
  return points[0];
}

}  // namespace quarry::simulate

#include "report/learning_curve.hpp"

#include <fmt/format.h>

#include "files/manifest/manifest.hpp"
#include "report/json_cells.hpp"

namespace quarry::report {

namespace fs = std::filesystem;

namespace {

// What the curve plots, and where in a training manifest's "eval" it is.
struct Measure {
  const char* name;
  nlohmann::json::json_pointer at;
};

const std::vector<Measure>& measures() {
  static const std::vector<Measure> all = {
      {"accuracy", nlohmann::json::json_pointer("/accuracy")},
      {"AP@.5 (boxes)", nlohmann::json::json_pointer("/bbox/stats/AP50")},
      {"AP@[.5:.95] (boxes)", nlohmann::json::json_pointer("/bbox/stats/AP")},
      {"OKS-AP (keypoints)", nlohmann::json::json_pointer("/keypoints/stats/AP")}};
  return all;
}

}  // namespace

std::vector<LineSeries> workspace_curves(const fs::path& workspace, int last_round,
                                         const std::vector<std::size_t>& labels_at_round) {
  std::vector<LineSeries> curves;
  for (const auto& measure : measures()) curves.push_back({measure.name, {}, {}, {}});
  for (int round = 0; round <= last_round && std::size_t(round) < labels_at_round.size(); ++round) {
    const auto manifest =
        read_complete_manifest(workspace / "rounds" / fmt::format("{:04d}", round) / "model.pt");
    const auto eval = field(field(manifest, "settings"), "eval");
    if (!eval.is_object()) continue;
    for (std::size_t m = 0; m < measures().size(); ++m) {
      const auto& at = measures()[m].at;
      // COCO's -1 marks a figure with nothing to measure (no objects of the kind).
      if (!eval.contains(at) || !eval[at].is_number() || eval[at].get<double>() < 0) continue;
      curves[m].x.push_back(double(labels_at_round[std::size_t(round)]));
      curves[m].y.push_back(eval[at].get<double>());
    }
  }
  std::erase_if(curves, [](const LineSeries& curve) { return curve.x.empty(); });
  return curves;
}

}  // namespace quarry::report

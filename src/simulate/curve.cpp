#include "simulate/curve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace quarry::simulate {

namespace {

struct MeanStd {
  double mean = 0, std = 0;
};

// Sample standard deviation (0 for one value): the spread over seeds.
MeanStd mean_std(const std::vector<double>& v) {
  if (v.empty()) return {std::nan(""), std::nan("")};
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / double(v.size());
  double sq = 0;
  for (double x : v) sq += (x - mean) * (x - mean);
  return {mean, v.size() > 1 ? std::sqrt(sq / double(v.size() - 1)) : 0.0};
}

std::vector<std::string> strategies_in(const std::vector<CurvePoint>& points) {
  std::vector<std::string> names = {"random"};
  for (const auto& p : points)
    if (std::find(names.begin(), names.end(), p.strategy) == names.end())
      names.push_back(p.strategy);
  return names;
}

std::string plus_minus(double mean, double spread, const char* format, const std::string& sign) {
  if (std::isnan(mean)) return "not reached";
  return fmt::format(fmt::runtime(format), mean) + " " + sign + " " +
         fmt::format(fmt::runtime(format), spread);
}

}  // namespace

std::optional<double> labels_to_reach(const std::vector<CurvePoint>& curve, double target) {
  for (std::size_t i = 0; i < curve.size(); ++i) {
    if (curve[i].accuracy < target) continue;
    if (i == 0) return double(curve[0].labels);
    const auto& a = curve[i - 1];
    const auto& b = curve[i];
    const double t = (target - a.accuracy) / (b.accuracy - a.accuracy);
    return double(a.labels) + t * (double(b.labels) - double(a.labels));
  }
  return std::nullopt;
}

std::vector<CurvePoint> curve_of(const std::vector<CurvePoint>& points, const std::string& strategy,
                                 std::uint64_t seed) {
  std::vector<CurvePoint> curve;
  for (const auto& p : points)
    if (p.strategy == strategy && p.seed == seed) curve.push_back(p);
  std::sort(curve.begin(), curve.end(),
            [](const CurvePoint& a, const CurvePoint& b) { return a.round < b.round; });
  return curve;
}

std::vector<StrategySummary> summarise(const std::vector<CurvePoint>& points) {
  std::vector<std::uint64_t> seeds;
  for (const auto& p : points)
    if (p.strategy == "random" && std::find(seeds.begin(), seeds.end(), p.seed) == seeds.end())
      seeds.push_back(p.seed);
  if (seeds.empty()) throw Error("the learning curves hold no random run to compare with");
  std::vector<StrategySummary> rows;
  for (const auto& strategy : strategies_in(points)) {
    StrategySummary row;
    row.strategy = strategy;
    std::vector<double> labels, savings, finals;
    double votes = 0, labeled = 0;
    for (auto seed : seeds) {
      const auto baseline = curve_of(points, "random", seed);
      const auto curve = curve_of(points, strategy, seed);
      if (curve.empty()) continue;
      ++row.seeds;
      finals.push_back(curve.back().accuracy);
      votes += double(curve.back().votes);
      labeled += double(curve.back().labels);
      const auto needed = labels_to_reach(curve, baseline.back().accuracy);
      if (!needed) continue;
      ++row.reached;
      labels.push_back(*needed);
      savings.push_back(double(baseline.back().labels) / *needed);
    }
    const auto l = mean_std(labels), s = mean_std(savings), f = mean_std(finals);
    row.labels_mean = l.mean, row.labels_std = l.std;
    row.saving_mean = s.mean, row.saving_std = s.std;
    row.final_accuracy_mean = f.mean, row.final_accuracy_std = f.std;
    row.votes_per_label = labeled > 0 ? votes / labeled : 0;
    rows.push_back(row);
  }
  return rows;
}

std::string curve_csv(const std::vector<CurvePoint>& points) {
  std::string csv = "strategy,seed,round,labels,accuracy,votes\n";
  for (const auto& p : points)
    csv += fmt::format("{},{},{},{},{:.6f},{}\n", p.strategy, p.seed, p.round, p.labels, p.accuracy,
                       p.votes);
  return csv;
}

std::vector<CurvePoint> parse_curve_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string(), "file", "cannot be read");
  std::vector<CurvePoint> points;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    if (++number == 1 || line.empty()) continue;  // the header
    std::stringstream fields(line);
    CurvePoint p;
    std::string cell[6];
    for (auto& c : cell) std::getline(fields, c, ',');
    try {
      p.strategy = cell[0];
      p.seed = std::stoull(cell[1]);
      p.round = std::stoi(cell[2]);
      p.labels = std::stoull(cell[3]);
      p.accuracy = std::stod(cell[4]);
      p.votes = std::stoull(cell[5]);
    } catch (const std::exception&) {
      throw InputError(path.string(), fmt::format("line {}", number),
                       "is not strategy,seed,round,labels,accuracy,votes");
    }
    points.push_back(p);
  }
  return points;
}

SummaryCells summary_cells(const StrategySummary& r, const std::string& sign) {
  return {plus_minus(r.labels_mean, r.labels_std, "{:.0f}", sign),
          std::isnan(r.saving_mean) ? std::string("not reached")
                                    : plus_minus(r.saving_mean, r.saving_std, "{:.2f}", sign) + "x",
          plus_minus(r.final_accuracy_mean, r.final_accuracy_std, "{:.4f}", sign)};
}

std::string summary_csv(const std::vector<StrategySummary>& rows) {
  std::string csv =
      "strategy,seeds,reached,labels_needed_mean,labels_needed_std,saving_mean,saving_std,"
      "final_accuracy_mean,final_accuracy_std,votes_per_label\n";
  for (const auto& r : rows)
    csv += fmt::format("{},{},{},{:.1f},{:.1f},{:.3f},{:.3f},{:.6f},{:.6f},{:.3f}\n", r.strategy,
                       r.seeds, r.reached, r.labels_mean, r.labels_std, r.saving_mean, r.saving_std,
                       r.final_accuracy_mean, r.final_accuracy_std, r.votes_per_label);
  return csv;
}

std::string summary_table(const std::vector<StrategySummary>& rows, std::uint64_t random_labels,
                          double random_accuracy) {
  std::string text = fmt::format(
      "target: random's final accuracy {:.4f} at {} labels (mean over seeds)\n"
      "{:<16} {:>6} {:>24} {:>16} {:>20}\n",
      random_accuracy, random_labels, "strategy", "seeds", "labels to reach target",
      "saving vs random", "final accuracy");
  for (const auto& r : rows) {
    const auto cells = summary_cells(r, "+-");
    text += fmt::format("{:<16} {:>6} {:>24} {:>16} {:>20}\n", r.strategy,
                        fmt::format("{}/{}", r.reached, r.seeds), cells.labels, cells.saving,
                        cells.final_accuracy);
  }
  return text;
}

}  // namespace quarry::simulate

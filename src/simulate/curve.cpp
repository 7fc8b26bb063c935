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

std::vector<std::string> strategies_in(const std::vector<CurvePoint>& points,
                                       const std::string& baseline) {
  std::vector<std::string> names = {baseline};
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

namespace {

// Where `curve` first reaches `target` on the axis `x` (labels or seconds), linear between rounds.
template <typename X>
std::optional<double> x_to_reach(const std::vector<CurvePoint>& curve, double target, X x) {
  for (std::size_t i = 0; i < curve.size(); ++i) {
    if (curve[i].accuracy < target) continue;
    if (i == 0) return double(curve[0].*x);
    const auto& a = curve[i - 1];
    const auto& b = curve[i];
    const double t = (target - a.accuracy) / (b.accuracy - a.accuracy);
    return double(a.*x) + t * (double(b.*x) - double(a.*x));
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> labels_to_reach(const std::vector<CurvePoint>& curve, double target) {
  return x_to_reach(curve, target, &CurvePoint::labels);
}

std::optional<double> seconds_to_reach(const std::vector<CurvePoint>& curve, double target) {
  return x_to_reach(curve, target, &CurvePoint::seconds);
}

std::size_t flattening_point(const std::vector<CurvePoint>& curve, double tolerance) {
  std::size_t i = 0;
  while (i + 1 < curve.size() && curve.back().accuracy - curve[i].accuracy > tolerance) ++i;
  return i;
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

std::vector<SeedSummary> per_seed(const std::vector<CurvePoint>& points,
                                  const std::string& baseline) {
  std::vector<std::uint64_t> seeds;
  for (const auto& p : points)
    if (p.strategy == baseline && std::find(seeds.begin(), seeds.end(), p.seed) == seeds.end())
      seeds.push_back(p.seed);
  if (seeds.empty())
    throw Error(fmt::format("the learning curves hold no {} run to compare with", baseline));
  std::vector<SeedSummary> rows;
  for (const auto& strategy : strategies_in(points, baseline))
    for (auto seed : seeds) {
      const auto reference = curve_of(points, baseline, seed);
      const auto curve = curve_of(points, strategy, seed);
      if (curve.empty()) continue;
      SeedSummary row;
      row.strategy = strategy;
      row.seed = seed;
      row.target = reference.back().accuracy;
      row.labels = labels_to_reach(curve, row.target);
      row.seconds = seconds_to_reach(curve, row.target);
      row.baseline_labels = double(reference.back().labels);
      row.baseline_seconds = reference.back().seconds;
      rows.push_back(row);
    }
  return rows;
}

std::vector<StrategySummary> summarise(const std::vector<CurvePoint>& points,
                                       const std::string& baseline) {
  const auto seeds = per_seed(points, baseline);
  std::vector<StrategySummary> rows;
  for (const auto& strategy : strategies_in(points, baseline)) {
    StrategySummary row;
    row.strategy = strategy;
    std::vector<double> labels, savings, seconds, second_savings, finals;
    double votes = 0, labeled = 0;
    for (const auto& s : seeds) {
      if (s.strategy != strategy) continue;
      const auto curve = curve_of(points, strategy, s.seed);
      ++row.seeds;
      finals.push_back(curve.back().accuracy);
      votes += double(curve.back().votes);
      labeled += double(curve.back().labels);
      if (!s.labels) continue;
      ++row.reached;
      labels.push_back(*s.labels);
      savings.push_back(s.baseline_labels / *s.labels);
      if (s.seconds && *s.seconds > 0) {
        seconds.push_back(*s.seconds);
        second_savings.push_back(s.baseline_seconds / *s.seconds);
      }
    }
    const auto l = mean_std(labels), s = mean_std(savings), f = mean_std(finals);
    const auto t = mean_std(seconds), ts = mean_std(second_savings);
    row.labels_mean = l.mean, row.labels_std = l.std;
    row.saving_mean = s.mean, row.saving_std = s.std;
    row.final_accuracy_mean = f.mean, row.final_accuracy_std = f.std;
    row.seconds_mean = t.mean, row.seconds_std = t.std;
    row.seconds_saving_mean = ts.mean, row.seconds_saving_std = ts.std;
    row.votes_per_label = labeled > 0 ? votes / labeled : 0;
    rows.push_back(row);
  }
  return rows;
}

namespace {

const char* const kCurveColumns = "strategy,seed,round,labels,accuracy,votes";
const char* const kObjectColumns = ",objects,seconds,scratch_seconds,ap50,ap,oks_ap";

std::vector<std::string> split_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream fields(line);
  std::string cell;
  while (std::getline(fields, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

}  // namespace

std::string curve_csv(const std::vector<CurvePoint>& points, bool objects) {
  std::string csv = std::string(kCurveColumns) + (objects ? kObjectColumns : "") + "\n";
  for (const auto& p : points) {
    csv += fmt::format("{},{},{},{},{:.6f},{}", p.strategy, p.seed, p.round, p.labels, p.accuracy,
                       p.votes);
    if (objects)
      csv += fmt::format(",{},{:.1f},{:.1f},{:.6f},{:.6f},{:.6f}", p.objects, p.seconds,
                         p.scratch_seconds, p.ap50, p.ap, p.oks_ap);
    csv += "\n";
  }
  return csv;
}

std::vector<CurvePoint> parse_curve_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string(), "file", "cannot be read");
  std::vector<CurvePoint> points;
  std::string line;
  std::getline(in, line);
  const bool objects = line == std::string(kCurveColumns) + kObjectColumns;
  if (!objects && line != kCurveColumns)
    throw InputError(path.string(), "line 1 (header)",
                     fmt::format("is not {}[{}]", kCurveColumns, kObjectColumns));
  const std::size_t columns = objects ? 12 : 6;
  std::size_t number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const auto cell = split_line(line);
    CurvePoint p;
    try {
      if (cell.size() != columns) throw std::invalid_argument("columns");
      p.strategy = cell[0];
      p.seed = std::stoull(cell[1]);
      p.round = std::stoi(cell[2]);
      p.labels = std::stoull(cell[3]);
      p.accuracy = std::stod(cell[4]);
      p.votes = std::stoull(cell[5]);
      if (objects) {
        p.objects = std::stoull(cell[6]);
        p.seconds = std::stod(cell[7]);
        p.scratch_seconds = std::stod(cell[8]);
        p.ap50 = std::stod(cell[9]);
        p.ap = std::stod(cell[10]);
        p.oks_ap = std::stod(cell[11]);
      }
    } catch (const std::exception&) {
      throw InputError(path.string(), fmt::format("line {}", number),
                       fmt::format("is not {}{}", kCurveColumns, objects ? kObjectColumns : ""));
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

std::string summary_csv(const std::vector<StrategySummary>& rows, bool objects) {
  std::string csv =
      "strategy,seeds,reached,labels_needed_mean,labels_needed_std,saving_mean,saving_std,"
      "final_accuracy_mean,final_accuracy_std,votes_per_label";
  csv += objects ? ",seconds_needed_mean,seconds_needed_std,seconds_saving_mean,"
                   "seconds_saving_std\n"
                 : "\n";
  for (const auto& r : rows) {
    csv += fmt::format("{},{},{},{:.1f},{:.1f},{:.3f},{:.3f},{:.6f},{:.6f},{:.3f}", r.strategy,
                       r.seeds, r.reached, r.labels_mean, r.labels_std, r.saving_mean, r.saving_std,
                       r.final_accuracy_mean, r.final_accuracy_std, r.votes_per_label);
    if (objects)
      csv += fmt::format(",{:.1f},{:.1f},{:.3f},{:.3f}", r.seconds_mean, r.seconds_std,
                         r.seconds_saving_mean, r.seconds_saving_std);
    csv += "\n";
  }
  return csv;
}

std::string per_seed_csv(const std::vector<SeedSummary>& rows, const std::string& baseline) {
  std::string csv =
      "strategy,seed,baseline,target,labels_needed,labels_saving,seconds_needed,seconds_saving\n";
  const auto cell = [](std::optional<double> v, double of) {
    return v && *v > 0 ? std::pair{fmt::format("{:.1f}", *v), fmt::format("{:.3f}", of / *v)}
                       : std::pair{std::string(), std::string()};
  };
  for (const auto& r : rows) {
    const auto [labels, labels_saving] = cell(r.labels, r.baseline_labels);
    const auto [seconds, seconds_saving] = cell(r.seconds, r.baseline_seconds);
    csv += fmt::format("{},{},{},{:.6f},{},{},{},{}\n", r.strategy, r.seed, baseline, r.target,
                       labels, labels_saving, seconds, seconds_saving);
  }
  return csv;
}

std::string summary_table(const std::vector<StrategySummary>& rows, std::uint64_t random_labels,
                          double random_accuracy, const std::string& metric) {
  std::string text = fmt::format(
      "target: random's final {} {:.4f} at {} labels (mean over seeds)\n"
      "{:<16} {:>6} {:>24} {:>16} {:>20}\n",
      metric, random_accuracy, random_labels, "strategy", "seeds", "labels to reach target",
      "saving vs random", "final " + metric);
  for (const auto& r : rows) {
    const auto cells = summary_cells(r, "+-");
    text += fmt::format("{:<16} {:>6} {:>24} {:>16} {:>20}\n", r.strategy,
                        fmt::format("{}/{}", r.reached, r.seeds), cells.labels, cells.saving,
                        cells.final_accuracy);
  }
  return text;
}

std::string seconds_table(const std::vector<StrategySummary>& rows, const std::string& baseline) {
  std::string text = fmt::format("against {}:\n{:<24} {:>26} {:>20}\n", baseline, "strategy",
                                 "seconds to reach target", "saving vs baseline");
  for (const auto& r : rows)
    text += fmt::format(
        "{:<24} {:>26} {:>20}\n", r.strategy,
        plus_minus(r.seconds_mean, r.seconds_std, "{:.0f}", "+-"),
        std::isnan(r.seconds_saving_mean)
            ? std::string("not reached")
            : plus_minus(r.seconds_saving_mean, r.seconds_saving_std, "{:.2f}", "+-") + "x");
  return text;
}

}  // namespace quarry::simulate

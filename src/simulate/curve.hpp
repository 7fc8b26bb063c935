#pragma once
// Learning curves and what they prove: for each strategy, the labels it needs to reach the
// accuracy random reaches with all its labels, and the saving versus random, over seeds.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace quarry::simulate {

struct CurvePoint {
  std::string strategy;
  std::uint64_t seed = 0;
  int round = 0;
  std::uint64_t labels = 0;  // items on the ledger the model was trained on
  double accuracy = 0;       // on the test pool
  std::uint64_t votes = 0;   // annotation cost so far: answers bought
};

struct StrategySummary {
  std::string strategy;
  std::size_t seeds = 0;
  std::size_t reached = 0;                 // seeds whose curve reached random's final accuracy
  double labels_mean = 0, labels_std = 0;  // labels needed (over the seeds that reached)
  double saving_mean = 0, saving_std = 0;  // random's final labels / labels needed
  double final_accuracy_mean = 0, final_accuracy_std = 0;
  double votes_per_label = 0;
};

// Labels at which `curve` (ascending labels) first reaches `target`, interpolating linearly
// between rounds; nullopt when it never does.
std::optional<double> labels_to_reach(const std::vector<CurvePoint>& curve, double target);

// One row per strategy (random first); each seed is compared with random's curve of the same
// seed. Throws when random's curve is missing.
std::vector<StrategySummary> summarise(const std::vector<CurvePoint>& points);

std::string curve_csv(const std::vector<CurvePoint>& points);
std::vector<CurvePoint> parse_curve_csv(const std::filesystem::path& path);
// A summary row's cells as "mean <sign> spread" ("not reached" when no seed reached random's
// final accuracy); `sign` is "+-" for text, "&plusmn;" for HTML.
struct SummaryCells {
  std::string labels, saving, final_accuracy;
};
SummaryCells summary_cells(const StrategySummary& row, const std::string& sign);

std::string summary_csv(const std::vector<StrategySummary>& rows);
std::string summary_table(const std::vector<StrategySummary>& rows, std::uint64_t random_labels,
                          double random_accuracy);

// The points of one (strategy, seed) in round order.
std::vector<CurvePoint> curve_of(const std::vector<CurvePoint>& points, const std::string& strategy,
                                 std::uint64_t seed);

}  // namespace quarry::simulate

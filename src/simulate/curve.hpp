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
  // Pools with objects (accuracy is then AP@.5, or OKS-AP on keypoint pools): objects on the
  // ledger, annotator seconds so far (time model), what the same answers would have cost drawn
  // from scratch, and the test pool's COCO figures.
  std::uint64_t objects = 0;
  double seconds = 0, scratch_seconds = 0;
  double ap50 = 0, ap = 0, oks_ap = 0;
};

struct StrategySummary {
  std::string strategy;
  std::size_t seeds = 0;
  std::size_t reached = 0;                 // seeds whose curve reached random's final accuracy
  double labels_mean = 0, labels_std = 0;  // labels needed (over the seeds that reached)
  double saving_mean = 0, saving_std = 0;  // random's final labels / labels needed
  double final_accuracy_mean = 0, final_accuracy_std = 0;
  double votes_per_label = 0;
  // Pools with objects: annotator seconds to reach the target, and the baseline's final seconds
  // over them.
  double seconds_mean = 0, seconds_std = 0;
  double seconds_saving_mean = 0, seconds_saving_std = 0;
};

// One (strategy, seed) against the baseline's curve of the same seed.
struct SeedSummary {
  std::string strategy;
  std::uint64_t seed = 0;
  double target = 0;                                 // the baseline's final accuracy
  std::optional<double> labels, seconds;             // to reach it (nullopt: never reached)
  double baseline_labels = 0, baseline_seconds = 0;  // the baseline's final
};

// Labels at which `curve` (ascending labels) first reaches `target`, interpolating linearly
// between rounds; nullopt when it never does.
std::optional<double> labels_to_reach(const std::vector<CurvePoint>& curve, double target);
// The same in annotator seconds.
std::optional<double> seconds_to_reach(const std::vector<CurvePoint>& curve, double target);

// Where the test-set curve flattens: the index of its first point within `tolerance` of its last
// accuracy (0 for an empty curve). The stopping criterion, which needs no test labels, is
// measured against it.
inline constexpr double kFlatTolerance = 0.005;
std::size_t flattening_point(const std::vector<CurvePoint>& curve,
                             double tolerance = kFlatTolerance);

// Every strategy's seeds against `baseline`'s curve of the same seed (strategies in first-seen
// order, the baseline's own included).
std::vector<SeedSummary> per_seed(const std::vector<CurvePoint>& points,
                                  const std::string& baseline = "random");

// One row per strategy (the baseline first); each seed is compared with the baseline's curve of
// the same seed. Throws when the baseline's curve is missing.
std::vector<StrategySummary> summarise(const std::vector<CurvePoint>& points,
                                       const std::string& baseline = "random");

// `objects`: the columns of pools with objects too (objects, seconds, scratch_seconds, ap50, ap,
// oks_ap). parse_curve_csv reads either by the header.
std::string curve_csv(const std::vector<CurvePoint>& points, bool objects = false);
std::vector<CurvePoint> parse_curve_csv(const std::filesystem::path& path);
// A summary row's cells as "mean <sign> spread" ("not reached" when no seed reached random's
// final accuracy); `sign` is "+-" for text, "&plusmn;" for HTML.
struct SummaryCells {
  std::string labels, saving, final_accuracy;
};
SummaryCells summary_cells(const StrategySummary& row, const std::string& sign);

// `objects`: with the seconds columns.
std::string summary_csv(const std::vector<StrategySummary>& rows, bool objects = false);
std::string per_seed_csv(const std::vector<SeedSummary>& rows, const std::string& baseline);
// `metric`: what accuracy is (AP@.5, OKS-AP on pools with objects).
std::string summary_table(const std::vector<StrategySummary>& rows, std::uint64_t random_labels,
                          double random_accuracy, const std::string& metric = "accuracy");

// Pools with objects: per strategy, the annotator seconds to reach the baseline's final accuracy
// and the baseline's final seconds over them (mean +- spread over seeds).
std::string seconds_table(const std::vector<StrategySummary>& rows, const std::string& baseline);

// The points of one (strategy, seed) in round order.
std::vector<CurvePoint> curve_of(const std::vector<CurvePoint>& points, const std::string& strategy,
                                 std::uint64_t seed);

}  // namespace quarry::simulate

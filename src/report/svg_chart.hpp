#pragma once
// Small SVG charts drawn as text: line charts (learning curves), grouped bar charts (class mix)
// and histograms (scores). No JavaScript, so the report renders anywhere and prints.
#include <string>
#include <vector>

namespace quarry::report {

// What an axis measures decides its range and ticks: counts (labels, items) get whole-number
// ticks, shares and accuracies never leave [0, 1], and any axis gets distinct round ticks even
// when every point has the same value.
enum class AxisKind { real, count, share };

struct Axes {
  std::string x_label, y_label;
  int width = 640, height = 320;
  AxisKind x_kind = AxisKind::real, y_kind = AxisKind::real;
};

// The range an axis draws and the step between its ticks: lo and hi are multiples of step,
// step is 1, 2 or 5 times a power of ten (whole for counts), and [lo, hi] holds every value
// (for shares, as far as [0, 1] allows).
struct AxisTicks {
  double lo = 0, hi = 1, step = 0.25;
  std::vector<std::string> labels() const;  // one per tick from lo to hi, each distinct
};
AxisTicks axis_ticks(double lo, double hi, AxisKind kind);

struct LineSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> spread;  // optional: +- band around y (standard deviation over seeds)
};

// Series share the axes; the ranges cover every point (and band).
std::string line_chart(const std::vector<LineSeries>& series, const Axes& axes);

struct BarGroup {
  std::string name;            // legend entry ("pool", "batch")
  std::vector<double> values;  // one per category
};

// One cluster of bars per category, one bar per group.
std::string bar_chart(const std::vector<std::string>& categories,
                      const std::vector<BarGroup>& groups, const Axes& axes);

// Counts of `values` in `bins` equal-width bins over [min, max] of the values; `marked` values
// (for example the selected items' scores) are drawn as a second series over the same bins.
std::string histogram(const std::vector<double>& values, const std::vector<double>& marked,
                      int bins, const std::string& name, const std::string& marked_name,
                      const Axes& axes);

// The colour of series i (a palette that stays apart for the first eight).
const char* series_colour(std::size_t i);

}  // namespace quarry::report

#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/html_page.hpp"

namespace quarry::report {

namespace {

constexpr int kLeft = 64, kRight = 150, kTop = 16, kBottom = 44;  // room for axes and legend

// The smallest and largest finite value seen.
struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

// A mapping from data to pixels inside the plot area.
struct Frame {
  Axes axes;
  AxisTicks x, y;
  double px(double v) const {
    return kLeft + (v - x.lo) / (x.hi - x.lo) * (axes.width - kLeft - kRight);
  }
  double py(double v) const {
    return axes.height - kBottom - (v - y.lo) / (y.hi - y.lo) * (axes.height - kTop - kBottom);
  }
};

// As many decimals as the step between ticks needs, so neighbouring ticks never print alike.
std::string tick_label(double v, double step) {
  const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", std::fabs(v) < step * 1e-6 ? 0.0 : v, decimals);  // no "-0"
}

// 1, 2 or 5 times a power of ten, at least `raw`: ticks people read at a glance.
double round_step(double raw) {
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0})
    if (raw <= m * power * (1 + 1e-9)) return m * power;
  return 10 * power;
}

std::string number(double v) {
  if (std::fabs(v) >= 1000 || v == std::floor(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

const char* kind_name(AxisKind kind) {
  switch (kind) {
    case AxisKind::count:
      return "count";
    case AxisKind::share:
      return "share";
    case AxisKind::real:
      break;
  }
  return "real";
}

// The axis kinds ride along as data attributes so the browser test can check the ticks.
std::string open_svg(const Axes& axes) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" data-x-axis=\"{2}\" data-y-axis=\"{3}\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>\n",
      axes.width, axes.height, kind_name(axes.x_kind), kind_name(axes.y_kind));
}

// Axes lines, five ticks on each axis (x ticks optional: bar charts label categories instead).
std::string axes_svg(const Frame& f, bool x_ticks) {
  const double x0 = kLeft, x1 = f.axes.width - kRight, y0 = f.axes.height - kBottom, y1 = kTop;
  std::string s = fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#333\"/>\n"
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{3}\" stroke=\"#333\"/>\n",
      x0, y0, x1, y1);
  const auto y_labels = f.y.labels();
  for (std::size_t i = 0; i < y_labels.size(); ++i) {
    const double v = f.y.lo + f.y.step * double(i);
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#eee\"/>"
        "<text class=\"y-tick\" x=\"{3}\" y=\"{4:.1f}\" font-size=\"11\" "
        "text-anchor=\"end\">{5}</text>\n",
        x0, f.py(v), x1, x0 - 4, f.py(v) + 4, y_labels[i]);
  }
  const auto x_labels = x_ticks ? f.x.labels() : std::vector<std::string>{};
  for (std::size_t i = 0; i < x_labels.size(); ++i)
    s += fmt::format(
        "<text class=\"x-tick\" x=\"{:.1f}\" y=\"{}\" font-size=\"11\" "
        "text-anchor=\"middle\">{}</text>\n",
        f.px(f.x.lo + f.x.step * double(i)), y0 + 15, x_labels[i]);
  s += fmt::format(
      "<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>\n"
      "<text x=\"14\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 14 {:.1f})\">{}</text>\n",
      (x0 + x1) / 2, f.axes.height - 8, escape_html(f.axes.x_label), (y0 + y1) / 2, (y0 + y1) / 2,
      escape_html(f.axes.y_label));
  return s;
}

std::string legend_svg(const Axes& axes, const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double y = kTop + 8 + 18.0 * double(i);
    s += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"12\">{}</text>\n",
        axes.width - kRight + 12, y - 10, series_colour(i), axes.width - kRight + 30, y,
        escape_html(names[i]));
  }
  return s;
}

}  // namespace

AxisTicks axis_ticks(double lo, double hi, AxisKind kind) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) lo = 0, hi = 1;  // nothing to show
  if (hi - lo <= 1e-9 * std::max(1.0, std::fabs(lo))) {
    // One value (one round, a flat series): a band around it, a few ticks wide.
    const double pad = std::max(kind == AxisKind::count ? 2.0 : 0.05, std::fabs(lo) * 0.05);
    lo -= pad, hi += pad;
  }
  if (kind == AxisKind::share) lo = std::max(lo, 0.0), hi = std::min(hi, 1.0);
  double step = round_step((hi - lo) / 5);
  if (kind == AxisKind::count) step = std::max(step, 1.0);
  AxisTicks ticks{std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step};
  // 0 and 1 are multiples of every step below 1, so clamping keeps the ticks on the grid.
  if (kind == AxisKind::share)
    ticks.lo = std::max(ticks.lo, 0.0), ticks.hi = std::min(ticks.hi, 1.0);
  return ticks;
}

std::vector<std::string> AxisTicks::labels() const {
  const auto n = std::lround((hi - lo) / step);
  std::vector<std::string> out;
  for (long i = 0; i <= n; ++i) out.push_back(tick_label(lo + step * double(i), step));
  return out;
}

const char* series_colour(std::size_t i) {
  static const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                  "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  return palette[i % 8];
}

std::string line_chart(const std::vector<LineSeries>& series, const Axes& axes) {
  Range x, y;
  for (const auto& s : series)
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      const double band = i < s.spread.size() ? s.spread[i] : 0.0;
      x.add(s.x[i]);
      y.add(s.y[i] - band);
      y.add(s.y[i] + band);
    }
  const Frame f{axes, axis_ticks(x.lo, x.hi, axes.x_kind), axis_ticks(y.lo, y.hi, axes.y_kind)};
  std::string svg = open_svg(axes) + axes_svg(f, true);
  std::vector<std::string> names;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    names.push_back(s.name);
    const char* colour = series_colour(k);
    if (!s.spread.empty()) {  // band: upper edge forwards, lower edge back
      std::string points;
      for (std::size_t i = 0; i < s.x.size(); ++i)
        points += fmt::format("{:.1f},{:.1f} ", f.px(s.x[i]), f.py(s.y[i] + s.spread[i]));
      for (std::size_t i = s.x.size(); i-- > 0;)
        points += fmt::format("{:.1f},{:.1f} ", f.px(s.x[i]), f.py(s.y[i] - s.spread[i]));
      svg += fmt::format("<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.15\"/>\n", points,
                         colour);
    }
    std::string points;
    for (std::size_t i = 0; i < s.x.size(); ++i)
      points += fmt::format("{:.1f},{:.1f} ", f.px(s.x[i]), f.py(s.y[i]));
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       points, colour);
    for (std::size_t i = 0; i < s.x.size(); ++i)
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n",
                         f.px(s.x[i]), f.py(s.y[i]), colour);
  }
  return svg + legend_svg(axes, names) + "</svg>\n";
}

std::string bar_chart(const std::vector<std::string>& categories,
                      const std::vector<BarGroup>& groups, const Axes& axes) {
  Range y;
  y.add(0);
  for (const auto& g : groups)
    for (double v : g.values) y.add(v);
  // One slot per category along x; the categories label it, not ticks.
  const AxisTicks slots{0, double(std::max<std::size_t>(categories.size(), 1)), 1};
  const Frame f{axes, slots, axis_ticks(y.lo, y.hi, axes.y_kind)};
  std::string svg = open_svg(axes) + axes_svg(f, false);
  const double slot = f.px(1) - f.px(0);
  const double bar = slot * 0.8 / double(std::max<std::size_t>(groups.size(), 1));
  std::vector<std::string> names;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    names.push_back(groups[g].name);
    for (std::size_t c = 0; c < groups[g].values.size() && c < categories.size(); ++c) {
      const double v = groups[g].values[c];
      const double x = f.px(double(c)) + slot * 0.1 + bar * double(g);
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
          "<title>{}: {}</title></rect>\n",
          x, f.py(v), std::max(bar - 1, 1.0), f.py(0) - f.py(v), series_colour(g),
          escape_html(categories[c] + " " + groups[g].name), number(v));
    }
  }
  for (std::size_t c = 0; c < categories.size(); ++c)
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>\n",
        f.px(double(c) + 0.5), axes.height - kBottom + 14, escape_html(categories[c]));
  return svg + legend_svg(axes, names) + "</svg>\n";
}

std::string histogram(const std::vector<double>& values, const std::vector<double>& marked,
                      int bins, const std::string& name, const std::string& marked_name,
                      const Axes& axes) {
  Range r;
  for (double v : values) r.add(v);
  for (double v : marked) r.add(v);
  if (!std::isfinite(r.lo)) r.lo = 0, r.hi = 1;
  if (r.hi - r.lo < 1e-12) r.hi = r.lo + 1;  // one value: one bin holds it
  bins = std::max(bins, 1);
  auto count = [&](const std::vector<double>& data) {
    std::vector<double> counts(std::size_t(bins), 0.0);
    for (double v : data) {
      if (!std::isfinite(v)) continue;
      const int b = std::clamp(int((v - r.lo) / (r.hi - r.lo) * bins), 0, bins - 1);
      counts[std::size_t(b)] += 1;
    }
    return counts;
  };
  // Shares, so the batch (hundreds) and the pool (millions) fit one axis.
  auto share = [](std::vector<double> counts) {
    double total = 0;
    for (double c : counts) total += c;
    if (total > 0)
      for (double& c : counts) c /= total;
    return counts;
  };
  // Every fifth bin edge is labelled, with the decimals that keep those labels apart.
  const int every = std::max(bins / 5, 1);
  const double width = (r.hi - r.lo) / bins;
  std::vector<std::string> labels;
  for (int b = 0; b < bins; ++b)
    labels.push_back(b % every == 0 ? tick_label(r.lo + width * b, width * every) : std::string());
  std::vector<BarGroup> groups = {{name, share(count(values))}};
  if (!marked.empty()) groups.push_back({marked_name, share(count(marked))});
  return bar_chart(labels, groups, axes);
}

}  // namespace quarry::report

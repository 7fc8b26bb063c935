#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/html_page.hpp"

namespace quarry::report {

namespace {

constexpr int kLeft = 64, kRight = 150, kTop = 16, kBottom = 44;  // room for axes and legend

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  // A flat or empty range still maps somewhere sensible.
  void settle() {
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-12) hi = lo + 1;
  }
};

// A mapping from data to pixels inside the plot area.
struct Frame {
  Axes axes;
  Range x, y;
  double px(double v) const {
    return kLeft + (v - x.lo) / (x.hi - x.lo) * (axes.width - kLeft - kRight);
  }
  double py(double v) const {
    return axes.height - kBottom - (v - y.lo) / (y.hi - y.lo) * (axes.height - kTop - kBottom);
  }
};

std::string number(double v) {
  if (std::fabs(v) >= 1000 || v == std::floor(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

std::string open_svg(const Axes& axes) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>\n",
      axes.width, axes.height);
}

// Axes lines, five ticks on each axis (x ticks optional: bar charts label categories instead).
std::string axes_svg(const Frame& f, bool x_ticks) {
  const double x0 = kLeft, x1 = f.axes.width - kRight, y0 = f.axes.height - kBottom, y1 = kTop;
  std::string s = fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#333\"/>\n"
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{3}\" stroke=\"#333\"/>\n",
      x0, y0, x1, y1);
  for (int i = 0; i <= 4; ++i) {
    const double v = f.y.lo + (f.y.hi - f.y.lo) * i / 4.0;
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#eee\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" font-size=\"11\" text-anchor=\"end\">{5}</text>\n",
        x0, f.py(v), x1, x0 - 4, f.py(v) + 4, number(v));
    if (x_ticks) {
      const double u = f.x.lo + (f.x.hi - f.x.lo) * i / 4.0;
      s += fmt::format(
          "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" "
          "text-anchor=\"middle\">{}</text>\n",
          f.px(u), y0 + 15, number(u));
    }
  }
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

const char* series_colour(std::size_t i) {
  static const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                  "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  return palette[i % 8];
}

std::string line_chart(const std::vector<LineSeries>& series, const Axes& axes) {
  Frame f{axes, {}, {}};
  for (const auto& s : series)
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      const double band = i < s.spread.size() ? s.spread[i] : 0.0;
      f.x.add(s.x[i]);
      f.y.add(s.y[i] - band);
      f.y.add(s.y[i] + band);
    }
  f.x.settle();
  f.y.settle();
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
  Frame f{axes, {}, {}};
  f.y.add(0);
  for (const auto& g : groups)
    for (double v : g.values) f.y.add(v);
  f.y.settle();
  f.x.lo = 0;
  f.x.hi = double(std::max<std::size_t>(categories.size(), 1));
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
  r.settle();
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
  std::vector<std::string> labels;
  for (int b = 0; b < bins; ++b)
    labels.push_back(b % std::max(bins / 5, 1) == 0 ? number(r.lo + (r.hi - r.lo) * b / bins)
                                                    : std::string());
  std::vector<BarGroup> groups = {{name, share(count(values))}};
  if (!marked.empty()) groups.push_back({marked_name, share(count(marked))});
  return bar_chart(labels, groups, axes);
}

}  // namespace quarry::report

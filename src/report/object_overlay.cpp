#include "report/object_overlay.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/html_page.hpp"
#include "report/svg_chart.hpp"

namespace quarry::report {

namespace {

std::string class_name(const OverlayStyle& style, std::int32_t label) {
  return label >= 0 && std::size_t(label) < style.class_names.size()
             ? style.class_names[std::size_t(label)]
             : std::to_string(label);
}

// Skeleton lines first, then the dots on top; both in the box's class colour with a white rim so
// they read on dark and light images alike.
std::string keypoints_svg(const DrawnDetection& d, const OverlayStyle& style, const char* colour) {
  const std::size_t k = d.keypoints.size() / 3;
  const double s = style.shown.scale;
  std::string svg;
  for (const auto& [a, b] : style.skeleton) {
    if (a < 0 || b < 0 || std::size_t(a) >= k || std::size_t(b) >= k) continue;
    const float* p = &d.keypoints[3 * std::size_t(a)];
    const float* q = &d.keypoints[3 * std::size_t(b)];
    svg += fmt::format(
        "<line class=\"bone\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
        "stroke=\"{}\" stroke-width=\"1.5\"/>",
        p[0] * s, p[1] * s, q[0] * s, q[1] * s, colour);
  }
  for (std::size_t j = 0; j < k; ++j) {
    const float* p = &d.keypoints[3 * j];
    svg += fmt::format(
        "<circle class=\"keypoint\" data-index=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" "
        "fill=\"{}\" stroke=\"#fff\" stroke-width=\"0.8\"><title>{} ({:.2f})</title></circle>",
        j, p[0] * s, p[1] * s, colour,
        escape_html(j < style.keypoint_names.size() ? style.keypoint_names[j] : std::to_string(j)),
        p[2]);
  }
  return svg;
}

std::string detection_svg(const DrawnDetection& d, const OverlayStyle& style) {
  const double s = style.shown.scale;
  const double x = d.box[0] * s, y = d.box[1] * s;
  const double w = std::max(0.0, (d.box[2] - d.box[0]) * s);
  const double h = std::max(0.0, (d.box[3] - d.box[1]) * s);
  const char* colour = series_colour(std::size_t(std::max(d.label, 0)));
  const auto caption =
      fmt::format("{} {:.2f}", escape_html(class_name(style, d.label)), d.confidence);
  // The caption sits above the box, or inside its top edge when the box touches the image's top.
  const double text_y = y >= 11 ? y - 2 : y + 10;
  return fmt::format(
      "<g class=\"prelabel\" data-label=\"{}\" data-confidence=\"{:.3f}\">"
      "<rect class=\"box\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
      "fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>"
      "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" fill=\"{}\" stroke=\"#fff\" "
      "stroke-width=\"2.5\" paint-order=\"stroke\">{}</text>{}</g>\n",
      d.label, d.confidence, x, y, w, h, colour, x + 1, text_y, colour, caption,
      keypoints_svg(d, style, colour));
}

}  // namespace

std::string object_overlay(const std::vector<DrawnDetection>& detections,
                           const OverlayStyle& style) {
  std::string svg = fmt::format(
      "<svg class=\"prelabels\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" "
      "height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n",
      style.shown.width, style.shown.height);
  for (const auto& d : detections) svg += detection_svg(d, style);
  return svg + "</svg>";
}

}  // namespace quarry::report

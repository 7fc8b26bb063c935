#include "report/thumbnails.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "files/png/png_codec.hpp"
#include "files/pool/row_runs.hpp"
#include "files/pool/schema.hpp"

namespace quarry::report {

std::string base64(const std::vector<std::uint8_t>& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t b0 = bytes[i];
    const std::uint32_t b1 = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    const std::uint32_t b2 = i + 2 < bytes.size() ? bytes[i + 2] : 0;
    const std::uint32_t v = (b0 << 16) | (b1 << 8) | b2;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[v & 63] : '=';
  }
  return out;
}

ShownSize shown_size(std::uint64_t width, std::uint64_t height, int longest) {
  ShownSize shown;
  const auto side = std::max<std::uint64_t>({width, height, 1});
  shown.scale = double(longest) / double(side);
  shown.width = int(std::lround(double(width) * shown.scale));
  shown.height = int(std::lround(double(height) * shown.scale));
  return shown;
}

std::string thumbnail_grid(const std::filesystem::path& pool_path,
                           const std::vector<Thumbnail>& items,
                           const std::optional<ShownSize>& shown) {
  const auto pool = pool::PoolFile::open(pool_path);
  const auto& shape = pool.meta().shape;
  if (shape.kind != pool::Kind::images || !png::can_hold(std::uint32_t(shape.dims[0])))
    return "<p class=\"note\">This pool holds features or images a PNG cannot show: no "
           "thumbnails.</p>\n";
  // Read the rows in ascending order (one read per run), then show them in pick order.
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return items[a].pool_row < items[b].pool_row; });
  std::vector<std::uint64_t> rows;
  for (std::size_t i : order) rows.push_back(items[i].pool_row);
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  const auto pixels = pool::read_sorted_rows<std::uint8_t>(pool.items(), rows);
  const png::ImageShape image{std::uint32_t(shape.dims[0]), std::uint32_t(shape.dims[1]),
                              std::uint32_t(shape.dims[2])};
  const std::size_t bytes = shape.elements();
  std::string html = "<div class=\"thumbs\">\n";
  for (const auto& item : items) {
    const auto at =
        std::size_t(std::lower_bound(rows.begin(), rows.end(), item.pool_row) - rows.begin());
    const auto encoded =
        png::encode(std::span<const std::uint8_t>(pixels.data() + at * bytes, bytes), image);
    if (shown)  // the image and its overlay share the box's top-left corner and size
      html += fmt::format(
          "<div class=\"thumb overlaid\" data-id=\"{0}\" style=\"width:{3}px\">"
          "<div class=\"stack\" style=\"width:{3}px;height:{4}px\"><img alt=\"item {0}\" "
          "src=\"data:image/png;base64,{1}\" style=\"width:{3}px;height:{4}px\">{5}</div>"
          "{0}<br>{2}</div>\n",
          item.id, base64(encoded), item.caption, shown->width, shown->height, item.overlay);
    else
      html += fmt::format(
          "<div class=\"thumb\"><img alt=\"item {0}\" src=\"data:image/png;base64,{1}\"><br>"
          "{0}<br>{2}</div>\n",
          item.id, base64(encoded), item.caption);
  }
  return html + "</div>\n";
}

}  // namespace quarry::report

#pragma once
// Thumbnails of pool items as inline PNG data: URIs (the report stays one self-contained file).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace quarry::report {

struct Thumbnail {
  std::uint64_t id = 0;
  std::uint64_t pool_row = 0;
  std::string caption;  // escaped HTML: prediction and probability, for example
  std::string overlay;  // optional <svg> in the shown size's pixels, laid over the image
};

// How a stored image of width x height pixels is shown: scaled so its longer side is
// `longest` thumbnail pixels (small pools grow, large ones shrink).
struct ShownSize {
  double scale = 1;
  int width = 0, height = 0;
};
ShownSize shown_size(std::uint64_t width, std::uint64_t height, int longest = 160);

// base64 of `bytes` (RFC 4648, with padding).
std::string base64(const std::vector<std::uint8_t>& bytes);

// A grid of the items' images read from the pool (PNG-encoded, 1 or 3 channels). Feature pools
// have no pixels: the grid is then a note saying so. With `shown`, every image is shown at that
// size with its item's overlay laid exactly over it (pools with objects); without, at the
// classification grid's fixed size.
std::string thumbnail_grid(const std::filesystem::path& pool, const std::vector<Thumbnail>& items,
                           const std::optional<ShownSize>& shown = std::nullopt);

}  // namespace quarry::report

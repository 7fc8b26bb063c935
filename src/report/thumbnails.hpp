#pragma once
// Thumbnails of pool items as inline PNG data: URIs (the report stays one self-contained file).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace quarry::report {

struct Thumbnail {
  std::uint64_t id = 0;
  std::uint64_t pool_row = 0;
  std::string caption;  // escaped HTML: prediction and probability, for example
};

// base64 of `bytes` (RFC 4648, with padding).
std::string base64(const std::vector<std::uint8_t>& bytes);

// A grid of the items' images read from the pool (PNG-encoded, 1 or 3 channels). Feature pools
// have no pixels: the grid is then a note saying so.
std::string thumbnail_grid(const std::filesystem::path& pool, const std::vector<Thumbnail>& items);

}  // namespace quarry::report

#pragma once
// Reads one image file of any size for the COCO importer: PNG (through the PNG codec) or JPEG
// (libjpeg), decoded planar [C,H,W] 8-bit, gray as 1 channel and colour as 3. Errors are
// InputErrors naming the file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace quarry::pool {

struct DecodedImage {
  std::uint32_t channels = 0, height = 0, width = 0;
  std::vector<std::uint8_t> planar;

  std::string describe() const;  // "40x20 gray" / "640x480 RGB"
};

// True for the extensions read_image reads (.png, .jpg, .jpeg, any case).
bool is_readable_image(const std::filesystem::path& path);
DecodedImage read_image(const std::filesystem::path& path);

}  // namespace quarry::pool

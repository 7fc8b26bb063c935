#include "files/pool/source_coordinates.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "core/error.hpp"
#include "files/png/png_codec.hpp"
#include "files/pool/schema.hpp"

namespace quarry::pool {

SourceTransform source_transform(const PoolSources& sources, std::size_t row) {
  if (sources.transform.empty()) return {};
  const float* t = &sources.transform.at(3 * row);
  return {t[0], t[1], t[2]};
}

std::array<double, 2> point_to_source(double x, double y, const SourceTransform& t) {
  return {(x - t.dx) / t.scale, (y - t.dy) / t.scale};
}

std::array<double, 2> point_from_source(double x, double y, const SourceTransform& t) {
  return {x * t.scale + t.dx, y * t.scale + t.dy};
}

std::array<double, 4> box_to_source(const float* xyxy, const SourceTransform& t) {
  const auto [x0, y0] = point_to_source(xyxy[0], xyxy[1], t);
  const auto [x1, y1] = point_to_source(xyxy[2], xyxy[3], t);
  return {x0, y0, x1, y1};
}

std::array<double, 4> box_from_source(const double* xyxy, const SourceTransform& t) {
  const auto [x0, y0] = point_from_source(xyxy[0], xyxy[1], t);
  const auto [x1, y1] = point_from_source(xyxy[2], xyxy[3], t);
  return {x0, y0, x1, y1};
}

namespace {

std::uint32_t big_endian16(const std::vector<unsigned char>& bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 8) | bytes[at + 1];
}

// A JPEG's size is in its frame header (SOF0..SOF15 but DHT C4, JPG C8 and DAC CC), found by
// walking the marker segments before the scan.
ImageSize jpeg_size(const std::vector<unsigned char>& bytes, const std::filesystem::path& path) {
  std::size_t at = 2;  // after SOI
  while (at + 4 <= bytes.size()) {
    if (bytes[at] != 0xFF) break;
    const unsigned char marker = bytes[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length
      at += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // end of image or start of scan
    const std::size_t length = big_endian16(bytes, at + 2);
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame && at + 9 <= bytes.size())
      return {big_endian16(bytes, at + 7), big_endian16(bytes, at + 5)};
    at += 2 + length;
  }
  throw InputError(path.string(), "JPEG header", "has no frame header with the image's size");
}

}  // namespace

ImageSize read_image_size(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "file", "cannot be opened");
  unsigned char magic[3] = {};
  in.read(reinterpret_cast<char*>(magic), 3);
  if (in.gcount() == 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF) {
    in.seekg(0);
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                           std::istreambuf_iterator<char>());
    return jpeg_size(bytes, path);
  }
  const png::PngFile png(path);  // InputError naming the file if it is no PNG either
  return {png.shape().width, png.shape().height};
}

ImageSize annotator_image_size(const PoolMeta& meta, const PoolSources& sources, std::size_t row,
                               const std::string& pool_file) {
  if (sources.paths.empty())
    return {static_cast<std::uint32_t>(meta.shape.dims.at(2)),
            static_cast<std::uint32_t>(meta.shape.dims.at(1))};
  const std::string& original = sources.paths.at(row);
  try {
    return read_image_size(original);
  } catch (const InputError& error) {
    throw InputError(pool_file, fmt::format("{} row {}", kSourcePaths, row),
                     fmt::format("its original {} cannot be read: {}", original, error.what()),
                     "run from the folder the pool was imported from, so relative paths resolve");
  }
}

}  // namespace quarry::pool

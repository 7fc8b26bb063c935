#pragma once
// Readers the tests use to parse exports back, independent of the writers: an RFC 4180 CSV
// parser, a PNG decoder (libspng) and whole-file reads.
#include <spng.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace quarry::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Rows of fields; quoted fields may hold commas, doubled quotes and line breaks.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    any = true;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field)), field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field)), field.clear();
      rows.push_back(std::move(row)), row.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (any) row.push_back(std::move(field)), rows.push_back(std::move(row));
  return rows;
}

struct DecodedPng {
  std::uint32_t width = 0, height = 0;
  int channels = 0;                  // 1 gray, 3 RGB
  std::vector<std::uint8_t> planar;  // [C,H,W], as the pool stores items
};

inline DecodedPng decode_png(const std::filesystem::path& path) {
  const std::string bytes = read_text(path);
  std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)> ctx(spng_ctx_new(0), spng_ctx_free);
  spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size());
  spng_ihdr ihdr{};
  if (spng_get_ihdr(ctx.get(), &ihdr) != 0) throw std::runtime_error("not a PNG: " + path.string());
  DecodedPng png;
  png.width = ihdr.width;
  png.height = ihdr.height;
  png.channels = ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE ? 1 : 3;
  if (ihdr.bit_depth != 8) throw std::runtime_error("not 8-bit: " + path.string());
  const int format = png.channels == 1 ? SPNG_FMT_G8 : SPNG_FMT_RGB8;
  std::size_t size = 0;
  spng_decoded_image_size(ctx.get(), format, &size);
  std::vector<std::uint8_t> interleaved(size);
  if (spng_decode_image(ctx.get(), interleaved.data(), size, format, 0) != 0)
    throw std::runtime_error("cannot decode " + path.string());
  const std::size_t plane = std::size_t(png.width) * png.height;
  png.planar.resize(interleaved.size());
  for (std::size_t p = 0; p < plane; ++p)
    for (int c = 0; c < png.channels; ++c)
      png.planar[c * plane + p] = interleaved[p * png.channels + c];
  return png;
}

}  // namespace quarry::testing

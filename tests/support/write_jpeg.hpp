#pragma once
// Writes JPEG files with libjpeg, for tests of code that reads them (link JPEG::JPEG).
// clang-format off
#include <cstdio>
#include <jpeglib.h>
// clang-format on

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace quarry::testing {

// Writes interleaved pixels as a quality-95 JPEG.
inline void write_jpeg(const std::filesystem::path& path, const std::vector<std::uint8_t>& pixels,
                       int width, int height, int channels) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = JDIMENSION(width);
  info.image_height = JDIMENSION(height);
  info.input_components = channels;
  info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 95, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<std::uint8_t*>(pixels.data()) +
                   std::size_t(info.next_scanline) * std::size_t(width * channels);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<char*>(buffer), long(size));
  jpeg_destroy_compress(&info);
  std::free(buffer);
}

}  // namespace quarry::testing

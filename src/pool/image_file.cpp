#include "pool/image_file.hpp"

#include <fmt/format.h>

// clang-format off
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first
#include <jpeglib.h>
// clang-format on

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "files/png/png_codec.hpp"

namespace quarry::pool {

namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// libjpeg reports errors through error_exit, which must not return: it jumps back to the
// decoder's setjmp with the message (no C++ object lives between the two).
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf back;
  char message[JMSG_LENGTH_MAX];
};

void jump_back(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->back, 1);
}

// Decodes `bytes` into interleaved pixels; returns the libjpeg message on failure, else empty.
std::string decode_jpeg(const std::vector<unsigned char>& bytes, DecodedImage& image,
                        std::vector<std::uint8_t>& interleaved) {
  jpeg_decompress_struct info;
  JpegErrors errors;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jump_back;
  if (setjmp(errors.back)) {
    jpeg_destroy_decompress(&info);
    return errors.message;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  // Gray stays gray; YCbCr, CMYK and the rest become RGB.
  info.out_color_space = info.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  image.channels = static_cast<std::uint32_t>(info.output_components);
  image.height = info.output_height;
  image.width = info.output_width;
  interleaved.resize(std::size_t(image.channels) * image.width * image.height);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row =
        interleaved.data() + std::size_t(info.output_scanline) * image.width * image.channels;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return {};
}

DecodedImage read_jpeg(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot be opened");
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
  DecodedImage image;
  std::vector<std::uint8_t> interleaved;
  if (std::string problem = decode_jpeg(bytes, image, interleaved); !problem.empty())
    throw InputError(path.string(), "", "is not a valid JPEG: " + problem);
  const std::size_t pixels = std::size_t(image.width) * image.height;
  image.planar.resize(interleaved.size());
  for (std::size_t c = 0; c < image.channels; ++c)
    for (std::size_t p = 0; p < pixels; ++p)
      image.planar[c * pixels + p] = interleaved[p * image.channels + c];
  return image;
}

}  // namespace

std::string DecodedImage::describe() const {
  return fmt::format("{}x{} {}", width, height, channels == 1 ? "gray" : "RGB");
}

bool is_readable_image(const std::filesystem::path& path) {
  const std::string extension = lower_extension(path);
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg";
}

DecodedImage read_image(const std::filesystem::path& path) {
  if (lower_extension(path) != ".png") return read_jpeg(path);
  png::PngFile png(path);
  DecodedImage image{png.shape().channels, png.shape().height, png.shape().width, {}};
  image.planar.resize(std::size_t(image.channels) * image.height * image.width);
  png.decode(image.planar);
  return image;
}

}  // namespace quarry::pool

#include "export/original_images.hpp"

#include <tbb/parallel_for.h>

#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "files/png/png_codec.hpp"
#include "pool/image_file.hpp"

namespace quarry::exporting {

namespace {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "file", "cannot be opened");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool is_png(const std::vector<std::uint8_t>& bytes) {
  static const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return bytes.size() >= 8 && std::equal(signature, signature + 8, bytes.begin());
}

std::vector<std::uint8_t> as_png(const std::string& original) {
  std::vector<std::uint8_t> bytes = read_bytes(original);
  if (is_png(bytes)) return bytes;
  const pool::DecodedImage image = pool::read_image(original);
  return png::encode(image.planar, {image.channels, image.height, image.width});
}

}  // namespace

void export_originals(const ExportBatch& batch, OutputFolder& out) {
  std::vector<std::size_t> shown;
  for (std::size_t t = 0; t < batch.tasks.size(); ++t)
    if (!batch.tasks[t].original.empty()) shown.push_back(t);
  tbb::parallel_for(std::size_t{0}, shown.size(), [&](std::size_t i) {
    const ExportTask& task = batch.tasks[shown[i]];
    out.write(task.file, as_png(task.original));
  });
}

}  // namespace quarry::exporting

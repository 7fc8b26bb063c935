#pragma once
// Coordinates of the image an annotator sees. A pool item letterboxed from a larger original
// (a COCO import; /source/paths and /source/transform, see objects.hpp) is shown to annotators as
// that original file, so pre-labels leave the pool in the original's pixels and what annotators
// draw comes back through the inverse: stored = original * scale + (dx, dy). Items of a pool
// without /source are shown as the pool's own pixels: the identity transform. Torch-free; export
// maps to the source, ingest maps back, with these functions only.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "files/pool/objects.hpp"

namespace quarry::pool {

struct PoolMeta;

// What read_sources returns: the original file and transform of every row (empty: no /source).
using PoolSources = SourceTable;

struct SourceTransform {
  double scale = 1, dx = 0, dy = 0;
};

// Row `row`'s transform (rows as in the pool file); the identity where the pool has no /source.
SourceTransform source_transform(const PoolSources& sources, std::size_t row);

// A box x0,y0,x1,y1 in stored pixels to the original's pixels, and back.
std::array<double, 4> box_to_source(const float* xyxy, const SourceTransform& t);
std::array<double, 4> box_from_source(const double* xyxy, const SourceTransform& t);
// A point in stored pixels to the original's pixels, and back.
std::array<double, 2> point_to_source(double x, double y, const SourceTransform& t);
std::array<double, 2> point_from_source(double x, double y, const SourceTransform& t);

struct ImageSize {
  std::uint32_t width = 0, height = 0;
  bool operator==(const ImageSize&) const = default;
};

// The width and height of the image the annotator sees for row `row`: the original file's
// (read from its PNG or JPEG header; paths relative to the working directory, as the import
// stored them) where the pool has /source, else the pool's W x H. InputError naming the pool
// file, the item's row and the original when that file is missing or not a PNG/JPEG.
ImageSize annotator_image_size(const PoolMeta& meta, const PoolSources& sources, std::size_t row,
                               const std::string& pool_file);

// The width and height in a PNG or JPEG file's header (the pixels are not decoded). InputError
// naming the file when it cannot be read or is neither.
ImageSize read_image_size(const std::filesystem::path& path);

}  // namespace quarry::pool

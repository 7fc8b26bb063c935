#pragma once
// PNG encoding of one pool item: 8-bit gray for one channel, 8-bit RGB for three. Pixel values
// are written unchanged, so the PNG decodes to exactly the pool's bytes.
#include <cstdint>
#include <span>
#include <vector>

#include "export/export_batch.hpp"

namespace quarry::exporting {

// True for the channel counts a PNG holds without loss or invention (1: gray, 3: RGB).
bool png_can_hold(std::uint32_t channels);

// `planar` is one item laid out [C,H,W] as the pool stores it. Thread-safe (one spng context
// per call), so items are encoded in parallel.
std::vector<std::uint8_t> encode_png(std::span<const std::uint8_t> planar, const ImageShape& shape);

}  // namespace quarry::exporting

#pragma once
// The one PNG codec: export and report encode pool items as PNG, pool's png-dir importer decodes
// them. Pool items are planar [C,H,W] 8-bit; a PNG holds them as 8-bit gray (one channel) or RGB
// (three), written unchanged so the PNG decodes to exactly the pool's bytes.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct spng_ctx;

namespace quarry::png {

struct ImageShape {
  std::uint32_t channels = 0, height = 0, width = 0;
  bool operator==(const ImageShape&) const = default;
};

// True for the channel counts a PNG holds without loss or invention (1: gray, 3: RGB).
bool can_hold(std::uint32_t channels);

// `planar` is one item laid out [C,H,W] as the pool stores it. Thread-safe (one spng context
// per call), so items are encoded in parallel.
std::vector<std::uint8_t> encode(std::span<const std::uint8_t> planar, const ImageShape& shape);

// One PNG file, read and its header parsed on construction, decoded on request. Gray PNGs give
// one channel, all others three (RGB, alpha dropped). Errors are InputErrors naming the file.
class PngFile {
 public:
  explicit PngFile(std::filesystem::path path);
  ~PngFile();
  PngFile(PngFile&&) noexcept;
  PngFile& operator=(PngFile&&) noexcept;

  const std::filesystem::path& path() const { return path_; }
  const ImageShape& shape() const { return shape_; }
  // "28x28 gray" or "32x32 RGB", for messages.
  std::string describe() const;

  // Decodes into `planar` (shape().channels x height x width bytes), laid out [C,H,W].
  void decode(std::span<std::uint8_t> planar);

 private:
  void check(int rc) const;

  std::filesystem::path path_;
  std::vector<char> bytes_;
  std::unique_ptr<spng_ctx, void (*)(spng_ctx*)> ctx_;
  ImageShape shape_;
  int decoded_channels_ = 0;  // interleaved in spng's output
  int format_ = 0;            // the spng_format decoded to
};

}  // namespace quarry::png

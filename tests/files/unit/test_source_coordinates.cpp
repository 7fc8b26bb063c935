#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "files/png/png_codec.hpp"
#include "files/pool/schema.hpp"
#include "files/pool/source_coordinates.hpp"
#include "files/pool/writer.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

// A 200x100 original letterboxed into 64x64: scale 0.32, dy = floor((64 - 32) / 2) = 16.
constexpr float kScale = 0.32f, kDx = 0, kDy = 16;

PoolSources one_source(const std::string& path) {
  PoolSources sources;
  sources.paths = {"unused.png", path};
  sources.transform = {1, 0, 0, kScale, kDx, kDy};
  return sources;
}

TEST(SourceCoordinates, WithoutSourceEveryRowIsTheIdentity) {
  const SourceTransform t = source_transform(PoolSources{}, 7);
  EXPECT_EQ(t.scale, 1);
  EXPECT_EQ(t.dx, 0);
  EXPECT_EQ(t.dy, 0);
  const float box[4] = {1.5f, 2.25f, 30, 40.75f};
  const auto source = box_to_source(box, t);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(source[i], box[i]);
  EXPECT_EQ(point_to_source(3.5, 4.5, t), (std::array<double, 2>{3.5, 4.5}));
  EXPECT_EQ(point_from_source(3.5, 4.5, t), (std::array<double, 2>{3.5, 4.5}));
}

TEST(SourceCoordinates, BoxesAndPointsGoToTheOriginalAndBack) {
  const SourceTransform t = source_transform(one_source("a.png"), 1);
  EXPECT_DOUBLE_EQ(t.scale, kScale);
  EXPECT_EQ(t.dy, kDy);
  // The stored image's letterbox band starts at y = 16: the original's top edge.
  const float box[4] = {0, 16, 64, 48};
  const auto source = box_to_source(box, t);
  EXPECT_NEAR(source[0], 0, 1e-9);
  EXPECT_NEAR(source[1], 0, 1e-9);
  EXPECT_NEAR(source[2], 200, 1e-4);  // 64 / 0.32 in float32's 0.32
  EXPECT_NEAR(source[3], 100, 1e-4);
  const auto back = box_from_source(source.data(), t);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(back[i], box[i], 1e-9);
  const auto point = point_to_source(10, 20, t);
  EXPECT_NEAR(point[0], 31.25, 1e-4);
  EXPECT_NEAR(point[1], 12.5, 1e-4);
  const auto stored = point_from_source(point[0], point[1], t);
  EXPECT_NEAR(stored[0], 10, 1e-9);
  EXPECT_NEAR(stored[1], 20, 1e-9);
}

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// SOI, an APP0 segment to walk past, then a baseline frame header for a 300x(height 150) image.
std::vector<std::uint8_t> jpeg_header() {
  return {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x06, 'J',  'F',  'I',  'F',  0xFF, 0xC0, 0x00,
          0x0B, 0x08, 0x00, 0x96, 0x01, 0x2C, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9};
}

TEST(SourceCoordinates, ImageSizesComeFromPngAndJpegHeaders) {
  testing::TempDir dir;
  const std::vector<std::uint8_t> pixels(3 * 7 * 5, 1);
  write_bytes(dir / "a.png", png::encode(pixels, {3, 7, 5}));
  write_bytes(dir / "b.jpg", jpeg_header());
  write_bytes(dir / "c.txt", {'n', 'o'});
  EXPECT_EQ(read_image_size(dir / "a.png"), (ImageSize{5, 7}));
  EXPECT_EQ(read_image_size(dir / "b.jpg"), (ImageSize{300, 150}));
  EXPECT_THROW(read_image_size(dir / "c.txt"), InputError);
  EXPECT_THROW(read_image_size(dir / "missing.png"), InputError);
}

TEST(SourceCoordinates, TheAnnotatorSeesTheOriginalOrThePoolsPixels) {
  testing::TempDir dir;
  write_bytes(dir / "b.jpg", jpeg_header());
  PoolMeta meta;
  meta.shape = {Kind::images, {3, 64, 48}};
  EXPECT_EQ(annotator_image_size(meta, PoolSources{}, 0, "p.h5"), (ImageSize{48, 64}));
  EXPECT_EQ(annotator_image_size(meta, one_source((dir / "b.jpg").string()), 1, "p.h5"),
            (ImageSize{300, 150}));
  try {
    annotator_image_size(meta, one_source((dir / "gone.jpg").string()), 1, "p.h5");
    FAIL() << "a missing original must be refused";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("p.h5"), std::string::npos) << message;
    EXPECT_NE(message.find("row 1"), std::string::npos) << message;
    EXPECT_NE(message.find("gone.jpg"), std::string::npos) << message;
  }
}

TEST(SourceCoordinates, APoolsStoredTransformsReadBackPerRow) {
  testing::TempDir dir;
  PoolSpec spec;
  spec.count = 2;
  spec.shape = {Kind::images, {1, 8, 8}};
  spec.classes = {"head"};
  spec.source = "test";
  spec.task.kind = Task::detect;
  spec.task.has_objects = true;
  spec.has_sources = true;
  PoolWriter writer(dir / "p.h5", Overwrite::refuse, spec);
  const std::vector<std::uint8_t> pixels(2 * 64, 0);
  const std::vector<std::uint64_t> ids = {4, 5};
  writer.append(std::span<const std::uint8_t>(pixels), ids);
  ObjectTable objects;
  objects.add_row();
  objects.add_row();
  objects.add_object({1, 1, 3, 3}, 0);
  writer.append_objects(objects);
  const std::vector<std::string> paths = {"x.png", "y.png"};
  const std::vector<float> transform = {0.5f, 0, 2, 0.25f, 1, 0};
  writer.append_sources(paths, transform);
  writer.finish();
  const PoolSources sources = read_sources(PoolFile::open(dir / "p.h5"));
  const SourceTransform t = source_transform(sources, 1);
  EXPECT_EQ(t.scale, 0.25);
  EXPECT_EQ(t.dx, 1);
  const float box[4] = {1, 1, 3, 3};
  const auto source = box_to_source(box, t);
  EXPECT_EQ(source, (std::array<double, 4>{0, 4, 8, 12}));
}

}  // namespace
}  // namespace quarry::pool

// Image files for the COCO importer: PNG and JPEG decoded planar, gray as one channel and colour
// as three; a damaged JPEG is bad input naming the file. JPEGs are written here with libjpeg.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "files/png/png_codec.hpp"
#include "pool/image_file.hpp"
#include "support/temp_dir.hpp"
#include "support/write_jpeg.hpp"

namespace quarry::pool {
namespace {

using testing::write_jpeg;

class ImageFileTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
};

TEST_F(ImageFileTest, JpegDecodesPlanarInGrayAndRgb) {
  // 24x16: left half dark, right half bright; in RGB the right half is red.
  std::vector<std::uint8_t> gray(24 * 16), rgb(24 * 16 * 3);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 24; ++x) {
      gray[y * 24 + x] = x < 12 ? 30 : 220;
      rgb[(y * 24 + x) * 3] = x < 12 ? 30 : 220;
      rgb[(y * 24 + x) * 3 + 1] = 30;
      rgb[(y * 24 + x) * 3 + 2] = 30;
    }
  write_jpeg(dir / "gray.JPG", gray, 24, 16, 1);
  write_jpeg(dir / "red.jpeg", rgb, 24, 16, 3);
  EXPECT_TRUE(is_readable_image(dir / "gray.JPG"));
  const DecodedImage g = read_image(dir / "gray.JPG");
  EXPECT_EQ(g.describe(), "24x16 gray");
  EXPECT_NEAR(g.planar[8 * 24 + 3], 30, 6);
  EXPECT_NEAR(g.planar[8 * 24 + 20], 220, 6);
  const DecodedImage c = read_image(dir / "red.jpeg");
  EXPECT_EQ(c.describe(), "24x16 RGB");
  ASSERT_EQ(c.planar.size(), 3u * 24 * 16);
  EXPECT_NEAR(c.planar[8 * 24 + 20], 220, 12);           // red plane, right half
  EXPECT_NEAR(c.planar[24 * 16 + 8 * 24 + 20], 30, 12);  // green plane
}

TEST_F(ImageFileTest, PngDecodesThroughTheCodec) {
  std::vector<std::uint8_t> planar(3 * 2 * 3);  // three planes of 2x3
  for (std::size_t i = 0; i < planar.size(); ++i) planar[i] = std::uint8_t(10 * i);
  const auto bytes = png::encode(planar, {3, 2, 3});
  std::ofstream(dir / "x.png", std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), long(bytes.size()));
  const DecodedImage image = read_image(dir / "x.png");
  EXPECT_EQ(image.describe(), "3x2 RGB");
  EXPECT_EQ(image.planar, planar);
}

TEST_F(ImageFileTest, DamagedJpegIsBadInputNamingTheFile) {
  std::ofstream(dir / "bad.jpg") << "not a jpeg";
  try {
    read_image(dir / "bad.jpg");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jpg: is not a valid JPEG"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(is_readable_image(dir / "x.gif"));
}

}  // namespace
}  // namespace quarry::pool

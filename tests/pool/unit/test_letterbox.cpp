// Letterboxing for the COCO importer: aspect kept, centred on whole pixels, zero padding, and
// resampling that averages when shrinking.
#include <gtest/gtest.h>

#include "pool/letterbox.hpp"

namespace quarry::pool {
namespace {

TEST(Letterbox, FitsKeepingAspectAndCentres) {
  const Letterbox wide = fit_letterbox(40, 20, 32, 32);
  EXPECT_DOUBLE_EQ(wide.scale, 0.8);
  EXPECT_EQ(wide.dx, 0);
  EXPECT_EQ(wide.dy, 8);
  const Letterbox tall = fit_letterbox(10, 30, 32, 32);
  EXPECT_DOUBLE_EQ(tall.scale, 32.0 / 30);
  EXPECT_EQ(tall.dx, 10);  // floor((32 - 10.67) / 2)
  EXPECT_EQ(tall.dy, 0);
  EXPECT_DOUBLE_EQ(tall.x(10), 10 + 10 * 32.0 / 30);
}

TEST(Letterbox, UniformImageFillsItsPlaceAndPadsWithZero) {
  std::vector<std::uint8_t> in(40 * 20, 77), out(32 * 32, 1);
  letterbox_image(in, 1, 40, 20, fit_letterbox(40, 20, 32, 32), 32, 32, out);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x)
      EXPECT_EQ(out[y * 32 + x], (y >= 8 && y < 24) ? 77 : 0) << x << "," << y;
}

TEST(Letterbox, ShrinkingAveragesFineDetail) {
  // A one-pixel checkerboard halved becomes its mean grey, not a copy of every other pixel.
  std::vector<std::uint8_t> in(2 * 16 * 16), out(2 * 8 * 8);
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x) in[(c * 16 + y) * 16 + x] = (x + y) % 2 ? 200 : 0;
  letterbox_image(in, 2, 16, 16, fit_letterbox(16, 16, 8, 8), 8, 8, out);
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) {
        const bool border = x == 0 || y == 0 || x == 7 || y == 7;  // fewer taps there
        EXPECT_NEAR(out[(c * 8 + y) * 8 + x], 100, border ? 30 : 1) << x << "," << y;
      }
}

TEST(Letterbox, ChannelConversion) {
  const std::vector<std::uint8_t> rgb = {255, 0, 0, 255, 0, 0};  // red, green, blue planes of 2
  EXPECT_EQ(convert_channels(rgb, 3, 1), (std::vector<std::uint8_t>{76, 150}));
  EXPECT_EQ(convert_channels(std::vector<std::uint8_t>{9, 8}, 1, 3),
            (std::vector<std::uint8_t>{9, 8, 9, 8, 9, 8}));
}

}  // namespace
}  // namespace quarry::pool

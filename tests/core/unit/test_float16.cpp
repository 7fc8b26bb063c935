#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/float16.hpp"

namespace quarry {
namespace {

TEST(Float16, KnownBitPatterns) {
  EXPECT_EQ(to_float16(0.0f).bits, 0x0000);
  EXPECT_EQ(to_float16(-0.0f).bits, 0x8000);
  EXPECT_EQ(to_float16(1.0f).bits, 0x3c00);
  EXPECT_EQ(to_float16(-2.0f).bits, 0xc000);
  EXPECT_EQ(to_float16(65504.0f).bits, 0x7bff);                          // largest half
  EXPECT_EQ(to_float16(65520.0f).bits, 0x7c00);                          // rounds to infinity
  EXPECT_EQ(to_float16(std::ldexp(1.0f, -24)).bits, 0x0001);             // smallest subnormal
  EXPECT_EQ(to_float16(std::ldexp(1.0f, -26)).bits, 0x0000);             // below half of it
  EXPECT_EQ(to_float16(1.0f + std::ldexp(1.0f, -11)).bits, 0x3c00);      // tie -> even (down)
  EXPECT_EQ(to_float16(1.0f + 3 * std::ldexp(1.0f, -11)).bits, 0x3c02);  // tie -> even (up)
  EXPECT_EQ(to_float16(std::numeric_limits<float>::infinity()).bits, 0x7c00);
  EXPECT_TRUE(std::isnan(to_float32(to_float16(std::nanf("")))));
}

TEST(Float16, EveryHalfRoundTripsThroughFloat) {
  for (std::uint32_t bits = 0; bits < 0x10000; ++bits) {
    Float16 half{static_cast<std::uint16_t>(bits)};
    const float value = to_float32(half);
    if (std::isnan(value)) continue;
    ASSERT_EQ(to_float16(value).bits, half.bits) << "bits " << bits;
  }
}

TEST(Float16, RoundsToNearest) {
  for (float value : {0.1f, 0.3333333f, 0.999f, 1e-5f, 123.456f, -7.77e-3f}) {
    const float back = to_float32(to_float16(value));
    EXPECT_NEAR(back, value, std::abs(value) * std::ldexp(1.0f, -11) + std::ldexp(1.0f, -25));
  }
}

}  // namespace
}  // namespace quarry

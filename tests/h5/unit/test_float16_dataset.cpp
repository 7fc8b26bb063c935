// Half floats (core/float16.hpp) as HDF5 stores them: an IEEE half dataset that HDF5 converts
// to float on read.
#include <gtest/gtest.h>

#include <span>
#include <vector>

#include "core/float16.hpp"
#include "h5/file.hpp"
#include "support/temp_dir.hpp"

namespace quarry {
namespace {

TEST(Float16, StoredInHdf5AsAHalfFloat) {
  testing::TempDir dir;
  const auto path = dir.path() / "half.h5";
  std::vector<Float16> values = {to_float16(0.5f), to_float16(-3.25f), to_float16(1e-3f)};
  {
    auto file = h5::File::create(path);
    auto dataset = file.create_dataset<Float16>("/x", {3});
    dataset.write_rows<Float16>(0, 3, std::span<const Float16>(values));
  }
  auto file = h5::File::open_read_only(path);
  auto dataset = file.open_dataset("/x");
  EXPECT_EQ(dataset.stored_type(), "float16");
  EXPECT_TRUE(dataset.holds<Float16>());
  auto as_float = dataset.read_all<float>();  // HDF5 converts half -> float on read
  EXPECT_FLOAT_EQ(as_float[0], 0.5f);
  EXPECT_FLOAT_EQ(as_float[1], -3.25f);
  EXPECT_FLOAT_EQ(as_float[2], to_float32(values[2]));
}

}  // namespace
}  // namespace quarry

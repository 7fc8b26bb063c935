#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "h5/file.hpp"
#include "support/temp_dir.hpp"

namespace quarry::h5 {
namespace {

class H5Test : public ::testing::Test {
 protected:
  void SetUp() override { install_error_handling(); }
  testing::TempDir dir;
};

TEST_F(H5Test, RowsRoundTripThroughChunkedDataset) {
  {
    File file = File::create(dir / "a.h5");
    Dataset data = file.create_dataset<std::uint8_t>("/images", {10, 1, 2, 3}, {4});
    std::vector<std::uint8_t> rows(4 * 6);
    std::iota(rows.begin(), rows.end(), 0);
    data.write_rows<std::uint8_t>(3, 4, rows);
  }
  File file = File::open_read_only(dir / "a.h5");
  Dataset data = file.open_dataset("/images");
  EXPECT_EQ(data.dims(), (std::vector<hsize_t>{10, 1, 2, 3}));
  EXPECT_EQ(data.chunk_dims(), (std::vector<hsize_t>{4, 1, 2, 3}));
  EXPECT_EQ(data.row_elements(), 6u);
  EXPECT_TRUE(data.holds<std::uint8_t>());
  EXPECT_FALSE(data.holds<float>());
  std::vector<std::uint8_t> back(2 * 6);
  data.read_rows<std::uint8_t>(4, 2, back);
  EXPECT_EQ(back[0], 6);
  EXPECT_EQ(back[11], 17);
}

TEST_F(H5Test, ReadPastTheEndIsAnError) {
  File file = File::create(dir / "a.h5");
  Dataset ids = file.create_dataset<std::uint64_t>("/ids", {5});
  std::vector<std::uint64_t> out(3);
  EXPECT_THROW(ids.read_rows<std::uint64_t>(4, 3, out), H5Error);
}

TEST_F(H5Test, AttributesOfEveryKindRoundTrip) {
  {
    File file = File::create(dir / "a.h5");
    write_attribute(file.id(), "format", std::string("pool/1"));
    write_attribute(file.id(), "classes", std::vector<std::string>{"cat", "dog", "T-shirt/top"});
    write_attribute(file.id(), "k", std::int32_t{42});
    write_attribute(file.id(), "radius", 0.5);
    write_attribute(file.id(), "format", std::string("pool/2"));  // replacing is allowed
  }
  File file = File::open_read_only(dir / "a.h5");
  EXPECT_EQ(read_string_attribute(file.id(), "format"), "pool/2");
  EXPECT_EQ(read_strings_attribute(file.id(), "classes"),
            (std::vector<std::string>{"cat", "dog", "T-shirt/top"}));
  EXPECT_EQ(read_attribute<std::int32_t>(file.id(), "k"), 42);
  EXPECT_DOUBLE_EQ(read_attribute<double>(file.id(), "radius"), 0.5);
  EXPECT_FALSE(has_attribute(file.id(), "missing"));
  // A missing attribute is bad input, and the message names the file.
  try {
    read_string_attribute(file.id(), "missing");
    FAIL() << "a missing attribute was read";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find((dir / "a.h5").string()), std::string::npos);
  }
}

TEST_F(H5Test, FixedLengthStringAttributesRoundTrip) {
  {
    File file = File::create(dir / "a.h5");
    write_attribute(file.id(), "format", std::string("ledger/1"), StringStorage::fixed);
    write_attribute(file.id(), "classes", std::vector<std::string>{"cat", "", "T-shirt/top"},
                    StringStorage::fixed);
    write_attribute(file.id(), "none", std::vector<std::string>{}, StringStorage::fixed);
  }
  File file = File::open_read_only(dir / "a.h5");
  EXPECT_EQ(read_string_attribute(file.id(), "format"), "ledger/1");
  EXPECT_EQ(read_strings_attribute(file.id(), "classes"),
            (std::vector<std::string>{"cat", "", "T-shirt/top"}));
  EXPECT_TRUE(read_strings_attribute(file.id(), "none").empty());
}

TEST_F(H5Test, EmptyStringArrayRoundTrips) {
  {
    File file = File::create(dir / "a.h5");
    write_attribute(file.id(), "classes", std::vector<std::string>{});
  }
  File file = File::open_read_only(dir / "a.h5");
  EXPECT_TRUE(read_strings_attribute(file.id(), "classes").empty());
}

TEST_F(H5Test, NestedNamesAndGroups) {
  File file = File::create(dir / "a.h5");
  file.create_dataset<float>("/scores/margin", {3});
  file.create_group("/cache/clusters");
  EXPECT_TRUE(file.exists("/scores"));
  EXPECT_TRUE(file.exists("/scores/margin"));
  EXPECT_TRUE(file.exists("/cache/clusters"));
  EXPECT_FALSE(file.exists("/scores/entropy"));
  EXPECT_FALSE(file.exists("/nothing/here"));
}

TEST_F(H5Test, MissingFileAndNonHdf5FileAreInputErrors) {
  try {
    File::open_read_only(dir / "missing.h5");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.h5: no such file"), std::string::npos);
  }
  std::ofstream(dir / "text.h5") << "not hdf5";
  try {
    File::open_read_only(dir / "text.h5");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is not an HDF5 file"), std::string::npos);
  }
}

TEST_F(H5Test, MissingDatasetNamesFileAndDataset) {
  { File::create(dir / "a.h5"); }
  File file = File::open_read_only(dir / "a.h5");
  try {
    file.open_dataset("/ids");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("a.h5: /ids: dataset is missing"), std::string::npos);
  }
}

}  // namespace
}  // namespace quarry::h5

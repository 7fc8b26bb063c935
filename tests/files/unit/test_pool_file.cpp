#include <gtest/gtest.h>

#include "files/pool/shard_reader.hpp"
#include "files/pool/subset.hpp"
#include "files/pool/writer.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

PoolSpec small_spec(std::uint64_t n) {
  return {n, {Kind::images, {1, 2, 2}}, {"a", "b"}, "test", true, 0, {}, false};
}

// Writes n items whose pixels are (row + pixel index) % 256, ids 100 + row, labels row % 2.
void write_small_pool(const std::filesystem::path& path, std::uint64_t n) {
  PoolWriter writer(path, Overwrite::refuse, small_spec(n));
  std::vector<std::uint8_t> pixels(4 * n);
  std::vector<std::uint64_t> ids(n);
  std::vector<std::int32_t> labels(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    for (int p = 0; p < 4; ++p) pixels[i * 4 + p] = std::uint8_t((i + p) % 256);
    ids[i] = 100 + i;
    labels[i] = std::int32_t(i % 2);
  }
  writer.append(std::span<const std::uint8_t>(pixels), ids, labels);
  writer.finish();
}

class PoolTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
};

TEST_F(PoolTest, WrittenPoolFollowsTheContract) {
  write_small_pool(dir / "p.h5", 10);
  PoolFile pool = PoolFile::open(dir / "p.h5");
  EXPECT_EQ(pool.meta().count, 10u);
  EXPECT_EQ(pool.meta().shape.dims, (std::vector<std::uint64_t>{1, 2, 2}));
  EXPECT_EQ(pool.meta().classes, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(pool.meta().has_labels);
  EXPECT_EQ(pool.ids().read_all<std::uint64_t>()[3], 103u);
  EXPECT_NO_THROW(pool.check_contents());
}

TEST_F(PoolTest, SubsetCopiesTheAskedItemsWithTheirPixelsAndLabelsInPoolOrder) {
  write_small_pool(dir / "p.h5", 3000);  // more rows than one copy batch
  std::vector<std::uint64_t> ids{100 + 2999, 100 + 5, 100 + 1030, 100 + 2};
  write_pool_subset(dir / "p.h5", ids, dir / "s.h5", Overwrite::refuse);
  const auto subset = PoolFile::open(dir / "s.h5");
  EXPECT_EQ(subset.meta().count, 4u);
  EXPECT_EQ(subset.meta().classes, (std::vector<std::string>{"a", "b"}));
  EXPECT_NO_THROW(subset.check_contents());
  const std::vector<std::uint64_t> rows{2, 5, 1030, 2999};
  EXPECT_EQ(subset.ids().read_all<std::uint64_t>(),
            (std::vector<std::uint64_t>{102, 105, 1130, 3099}));
  const auto labels = subset.labels()->read_all<std::int32_t>();
  const auto pixels = subset.items().read_all<std::uint8_t>();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(labels[i], std::int32_t(rows[i] % 2));
    for (int p = 0; p < 4; ++p) EXPECT_EQ(pixels[i * 4 + p], std::uint8_t((rows[i] + p) % 256));
  }
}

TEST_F(PoolTest, SubsetOfAnIdNotInThePoolIsRefusedAndWritesNothing) {
  write_small_pool(dir / "p.h5", 10);
  std::vector<std::uint64_t> ids{103, 42};
  try {
    write_pool_subset(dir / "p.h5", ids, dir / "s.h5", Overwrite::refuse);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("item id 42"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "s.h5"));
}

TEST_F(PoolTest, DuplicateIdsAreRefusedAndNothingIsPublished) {
  PoolWriter writer(dir / "p.h5", Overwrite::refuse, small_spec(2));
  std::vector<std::uint8_t> pixels(8, 0);
  std::vector<std::uint64_t> ids{7, 7};
  std::vector<std::int32_t> labels{0, 1};
  writer.append(std::span<const std::uint8_t>(pixels), ids, labels);
  EXPECT_THROW(writer.finish(), InputError);
}

TEST_F(PoolTest, AbandonedWriterLeavesNoFile) {
  { PoolWriter writer(dir / "p.h5", Overwrite::refuse, small_spec(2)); }
  EXPECT_EQ(dir.entries(), 0u);
}

TEST_F(PoolTest, WrongDtypeAndRankAreInputErrors) {
  {
    h5::File file = h5::File::create(dir / "bad.h5");
    file.create_dataset<float>(kImages, {4, 1, 2, 2});
    file.create_dataset<std::uint64_t>(kIds, {4});
    h5::write_attribute(file.id(), "quarry_format", std::string(kFormat));
  }
  EXPECT_THROW(PoolFile::open(dir / "bad.h5"), InputError);
  {
    h5::File file = h5::File::create(dir / "rank.h5");
    file.create_dataset<std::uint8_t>(kImages, {4, 2, 2});
    file.create_dataset<std::uint64_t>(kIds, {4});
    h5::write_attribute(file.id(), "quarry_format", std::string(kFormat));
  }
  try {
    PoolFile::open(dir / "rank.h5");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("rank.h5: /images: has 3 dimensions"), std::string::npos);
  }
  { h5::File::create(dir / "plain.h5"); }
  EXPECT_THROW(PoolFile::open(dir / "plain.h5"), InputError);
}

TEST_F(PoolTest, ChunkRowsKeepChunksWithinTheCache) {
  EXPECT_EQ(default_chunk_rows(784), 1024u);
  EXPECT_EQ(default_chunk_rows(3 * 224 * 224), 4u);
  EXPECT_EQ(default_chunk_rows(8 << 20), 1u);
}

TEST_F(PoolTest, ShapeParsing) {
  EXPECT_EQ(parse_image_shape("3x32x32").dims, (std::vector<std::uint64_t>{3, 32, 32}));
  EXPECT_THROW(parse_image_shape("28x28"), UsageError);
  EXPECT_THROW(parse_image_shape("1x0x28"), UsageError);
  EXPECT_THROW(parse_image_shape("1xax28"), UsageError);
}

TEST_F(PoolTest, ReaderStreamsTheShardInOrderWithAShortLastBatch) {
  write_small_pool(dir / "p.h5", 103);
  for (int depth : {2, 3, 5}) {
    ShardReader reader(dir / "p.h5", {10, 103}, 16, depth);
    std::uint64_t expected_row = 10;
    while (const Batch* batch = reader.next()) {
      EXPECT_EQ(batch->first_row, expected_row);
      for (std::uint64_t i = 0; i < batch->count; ++i) {
        const std::uint64_t row = batch->first_row + i;
        EXPECT_EQ(batch->ids[i], 100 + row);
        EXPECT_EQ(batch->labels[i], std::int32_t(row % 2));
        EXPECT_EQ(batch->pixels[i * 4 + 3], std::uint8_t((row + 3) % 256));
      }
      expected_row += batch->count;
    }
    EXPECT_EQ(expected_row, 103u);
    EXPECT_EQ(reader.next(), nullptr);
  }
}

TEST_F(PoolTest, ReaderStopsEarlyWithoutHanging) {
  write_small_pool(dir / "p.h5", 200);
  ShardReader reader(dir / "p.h5", {0, 200}, 8, 2);
  ASSERT_NE(reader.next(), nullptr);
}  // destructor joins the I/O thread while it waits for a free slot

TEST_F(PoolTest, ReaderOnAnEmptyShard) {
  write_small_pool(dir / "p.h5", 5);
  ShardReader reader(dir / "p.h5", {5, 5}, 8);
  EXPECT_EQ(reader.next(), nullptr);
}

}  // namespace
}  // namespace quarry::pool

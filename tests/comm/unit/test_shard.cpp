#include <gtest/gtest.h>

#include "comm/shard.hpp"

namespace quarry::comm {
namespace {

TEST(ShardRange, TilesTheItemsInRankOrder) {
  for (std::uint64_t n : {0ull, 1ull, 7ull, 1000ull, 1025ull, 4096ull}) {
    for (int parts : {1, 2, 3, 5, 8}) {
      for (std::uint64_t align : {1ull, 3ull, 1024ull}) {
        std::uint64_t expected_begin = 0;
        for (int i = 0; i < parts; ++i) {
          Range r = shard_range(n, parts, i, align);
          EXPECT_EQ(r.begin, expected_begin) << n << " " << parts << " " << align;
          EXPECT_LE(r.begin, r.end);
          if (r.begin < n) {
            EXPECT_EQ(r.begin % align, 0u);  // starts on a chunk boundary
          }
          expected_begin = r.end;
        }
        EXPECT_EQ(expected_begin, n);
      }
    }
  }
}

TEST(ShardRange, SpreadsChunksEvenly) {
  // 10 chunks of 100 over 3 ranks: 4, 3, 3 chunks.
  EXPECT_EQ(shard_range(1000, 3, 0, 100).size(), 400u);
  EXPECT_EQ(shard_range(1000, 3, 1, 100).size(), 300u);
  EXPECT_EQ(shard_range(1000, 3, 2, 100).size(), 300u);
  // A short last chunk goes to the last rank that has any.
  EXPECT_EQ(shard_range(1050, 2, 1, 100).end, 1050u);
}

TEST(ShardRange, MoreRanksThanChunksLeavesSomeEmpty) {
  EXPECT_EQ(shard_range(100, 3, 0, 1024).size(), 100u);
  EXPECT_TRUE(shard_range(100, 3, 1, 1024).empty());
  EXPECT_TRUE(shard_range(100, 3, 2, 1024).empty());
}

}  // namespace
}  // namespace quarry::comm

#include <gtest/gtest.h>

#include <cstdio>
#include <numeric>
#include <thread>

#include "comm/communicator.hpp"
#include "comm/placement.hpp"
#include "comm/progress.hpp"
#include "comm/shard.hpp"

namespace quarry::comm {
namespace {

Communicator world() {
  return Communicator(MPI_COMM_WORLD);
}

TEST(Collectives, AllreduceSumMinMax) {
  auto w = world();
  const int r = w.rank(), p = w.size();
  EXPECT_EQ(w.allreduce<std::int64_t>(r + 1, Op::sum), std::int64_t(p) * (p + 1) / 2);
  EXPECT_EQ(w.allreduce<std::int32_t>(r, Op::min), 0);
  EXPECT_DOUBLE_EQ(w.allreduce<double>(r * 0.5, Op::max), (p - 1) * 0.5);
  std::vector<std::uint64_t> counts{std::uint64_t(r), 1};
  w.allreduce(std::span(counts), Op::sum);
  EXPECT_EQ(counts[1], std::uint64_t(p));
}

TEST(Collectives, AnyAndAll) {
  auto w = world();
  EXPECT_TRUE(w.any(w.rank() == w.size() - 1));
  EXPECT_FALSE(w.all(w.rank() == 0));
  EXPECT_TRUE(w.all(true));
}

TEST(Collectives, BroadcastStringAndValues) {
  auto w = world();
  std::string text = w.rank() == 1 ? "from rank one" : "";
  EXPECT_EQ(w.broadcast(text, 1), "from rank one");
  EXPECT_EQ(w.broadcast<std::uint64_t>(w.rank() == 0 ? 77 : 0, 0), 77u);
}

TEST(Collectives, AllgathervConcatenatesInRankOrder) {
  auto w = world();
  std::vector<std::int32_t> mine(std::size_t(w.rank() + 1), w.rank());
  auto all = w.allgatherv<std::int32_t>(mine);
  std::vector<std::int32_t> expected;
  for (int r = 0; r < w.size(); ++r) expected.insert(expected.end(), std::size_t(r + 1), r);
  EXPECT_EQ(all, expected);
}

TEST(Collectives, ExclusiveSumGivesOffsets) {
  auto w = world();
  EXPECT_EQ(w.exclusive_sum<std::uint64_t>(10), std::uint64_t(10 * w.rank()));
}

TEST(Placement, SplitSharedOwnsAMoveOnlyCommunicator) {
  auto w = world();
  OwnedCommunicator node = w.split_shared();
  OwnedCommunicator moved = std::move(node);  // the moved-from one frees nothing
  EXPECT_EQ(moved.get().size(), w.size());
  EXPECT_EQ(moved.get().allreduce<std::int32_t>(1, Op::sum), w.size());
  node = w.split_shared();  // assigning to the moved-from one frees nothing either
  EXPECT_EQ(node.get().rank(), w.rank());
}

TEST(Placement, AllRanksShareThisNode) {
  auto w = world();
  const NodePlacement placement = node_placement(w);
  EXPECT_EQ(placement.local_size, w.size());
  EXPECT_EQ(placement.local_rank, w.rank());
  EXPECT_EQ(placement.nodes, 1);
  EXPECT_EQ(placement.node, 0);
  const auto record = placement_record(w, placement, 3);
  if (w.rank() != 0) {
    EXPECT_TRUE(record.is_null());
    return;
  }
  EXPECT_EQ(record["nodes"], 1);
  ASSERT_EQ(record["ranks"].size(), std::size_t(w.size()));
  EXPECT_EQ(record["ranks"].back()["local_rank"], w.size() - 1);
  EXPECT_EQ(record["ranks"].back()["threads"], 3);
}

TEST(Progress, SumsAllRanksWithoutHanging) {
  auto w = world();
  // Ranks do different amounts of work at different speeds; finish() must still meet.
  Progress progress(w, "test", 0);
  const std::uint64_t mine = 1000 * std::uint64_t(w.rank() + 1);
  for (std::uint64_t i = 0; i < mine; ++i) progress.advance(1);
  std::uint64_t expected = 0;
  for (int r = 0; r < w.size(); ++r) expected += 1000 * std::uint64_t(r + 1);
  EXPECT_EQ(progress.finish(), expected);
}

TEST(Progress, RanksFinishingEarlyAreCounted) {
  auto w = world();
  Progress progress(w, "test", 0);
  progress.advance(5);
  if (w.rank() == 0) {
    // Rank 0 keeps working and reporting until every other rank's final count has reached it
    // through advance(): the path where finals arrive before rank 0's own finish().
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (progress.finals_received() < w.size() - 1 &&
           std::chrono::steady_clock::now() < give_up) {
      progress.advance(0);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // leave the cores to the others
    }
    if (progress.finals_received() != w.size() - 1) {
      // Finals that advance() received but did not count would leave finish() waiting for them
      // forever, and the other ranks in its broadcast: end the job now, failed, rather than at
      // the time limit.
      ADD_FAILURE() << "advance() counted " << progress.finals_received() << " of the "
                    << w.size() - 1 << " other ranks' final counts in 60 s";
      std::fflush(stdout);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  }
  EXPECT_EQ(progress.finish(), 5u * std::uint64_t(w.size()));
}

TEST(Shards, RanksCoverEveryItemOnce) {
  auto w = world();
  const std::uint64_t n = 10007;
  Range mine = shard_range(n, w.size(), w.rank(), 1024);
  EXPECT_EQ(w.allreduce<std::uint64_t>(mine.size(), Op::sum), n);
  auto begins = w.allgather<std::uint64_t>(mine.begin);
  auto ends = w.allgather<std::uint64_t>(mine.end);
  for (int r = 1; r < w.size(); ++r) EXPECT_EQ(begins[std::size_t(r)], ends[std::size_t(r - 1)]);
}

}  // namespace
}  // namespace quarry::comm

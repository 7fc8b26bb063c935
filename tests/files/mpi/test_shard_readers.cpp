// Pool shard readers on every rank together read each item of the pool once, in order, and each
// item's objects with it.
#include <gtest/gtest.h>

#include "comm/communicator.hpp"
#include "comm/shard.hpp"
#include "files/pool/objects.hpp"
#include "files/pool/shard_reader.hpp"
#include "pool/synth.hpp"
#include "support/shared_dir.hpp"

namespace quarry {
namespace {

comm::Communicator world() {
  return comm::Communicator(MPI_COMM_WORLD);
}

TEST(ParallelIo, ShardReadersTogetherReadEveryItemOnce) {
  auto w = world();
  testing::SharedDir dir(MPI_COMM_WORLD);
  if (w.is_root())
    pool::write_synth_pool({5000, {pool::Kind::images, {1, 8, 8}}, 3, 1, 0}, dir / "pool.h5",
                           Overwrite::refuse);
  w.barrier();
  pool::PoolMeta meta = pool::PoolFile::open(dir / "pool.h5").meta();
  comm::Range mine = comm::shard_range(meta.count, w.size(), w.rank(), meta.chunk_rows);
  pool::ShardReader reader(dir / "pool.h5", mine, 300);
  std::vector<std::uint64_t> ids;
  while (const pool::Batch* batch = reader.next())
    ids.insert(ids.end(), batch->ids.begin(), batch->ids.begin() + long(batch->count));
  auto all = w.allgatherv<std::uint64_t>(ids);
  ASSERT_EQ(all.size(), 5000u);
  for (std::uint64_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i);
}

TEST(ParallelIo, ShardReadersTogetherSeeEveryObjectOnce) {
  auto w = world();
  testing::SharedDir dir(MPI_COMM_WORLD);
  if (w.is_root())
    pool::write_object_pool({333, {pool::Kind::images, {1, 32, 32}}, 1, 4, 0},
                            {pool::Task::keypoints, 4}, dir / "heads.h5", Overwrite::refuse);
  w.barrier();
  pool::PoolFile file = pool::PoolFile::open(dir / "heads.h5");
  const pool::ObjectTable whole = pool::read_objects(file, 0, file.meta().count);
  comm::Range mine = comm::shard_range(file.meta().count, w.size(), w.rank(), 16);
  pool::ShardReader reader(dir / "heads.h5", mine, 25, 3, true);
  pool::ObjectTable seen;
  while (const pool::Batch* batch = reader.next()) seen.append(batch->objects);
  ASSERT_EQ(seen.rows(), mine.size());
  // Each rank's objects are exactly the whole pool's objects of its rows.
  const pool::ObjectTable expected = whole.slice(mine.begin, mine.size());
  EXPECT_EQ(seen.offsets, expected.offsets);
  EXPECT_EQ(seen.boxes, expected.boxes);
  EXPECT_EQ(seen.keypoints, expected.keypoints);
  // And together the ranks saw every object once.
  EXPECT_EQ(w.allgatherv<float>(seen.boxes), whole.boxes);
}

}  // namespace
}  // namespace quarry

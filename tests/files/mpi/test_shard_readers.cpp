// Pool shard readers on every rank together read each item of the pool once, in order.
#include <gtest/gtest.h>

#include "comm/communicator.hpp"
#include "comm/shard.hpp"
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

}  // namespace
}  // namespace quarry

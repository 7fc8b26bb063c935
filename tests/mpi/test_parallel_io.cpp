#include <gtest/gtest.h>

#include "comm/communicator.hpp"
#include "comm/shard.hpp"
#include "files/pool/shard_reader.hpp"
#include "h5/file.hpp"
#include "pool/synth.hpp"
#include "pool/verify.hpp"

namespace quarry {
namespace {

comm::Communicator world() {
  return comm::Communicator(MPI_COMM_WORLD);
}

// A folder every rank agrees on (named by rank 0), removed at the end.
class SharedDir {
 public:
  SharedDir() {
    auto w = world();
    std::string name;
    if (w.is_root()) {
      path_ = std::filesystem::temp_directory_path() /
              ("quarry-mpi-test-" + std::to_string(::getpid()));
      std::filesystem::remove_all(path_);
      std::filesystem::create_directories(path_);
      name = path_.string();
    }
    path_ = w.broadcast(name, 0);
  }
  ~SharedDir() {
    world().barrier();
    if (world().is_root()) std::filesystem::remove_all(path_);
  }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

TEST(ParallelIo, RanksWriteTheirRowsOfOneFileWithMpiIo) {
  auto w = world();
  SharedDir dir;
  const std::uint64_t n = 1000;
  comm::Range mine = comm::shard_range(n, w.size(), w.rank(), 64);
  {
    h5::File file = h5::File::create(dir / "scores.h5", h5::FileAccess::mpio(w.raw()));
    h5::Dataset scores = file.create_dataset<float>("/scores/margin", {n}, {64});
    std::vector<float> values(mine.size());
    for (std::uint64_t i = 0; i < mine.size(); ++i) values[i] = float(mine.begin + i) * 0.5f;
    scores.write_rows<float>(mine.begin, mine.size(), values, h5::Transfer::collective);
    h5::write_attribute(file.id(), "ranks", std::int32_t(w.size()));
  }
  w.barrier();
  h5::File file = h5::File::open_read_only(dir / "scores.h5", h5::FileAccess::mpio(w.raw()));
  auto all = file.open_dataset("/scores/margin").read_all<float>();
  for (std::uint64_t i = 0; i < n; ++i) ASSERT_FLOAT_EQ(all[i], float(i) * 0.5f);
  EXPECT_EQ(h5::read_attribute<std::int32_t>(file.id(), "ranks"), w.size());
}

TEST(ParallelIo, ShardReadersTogetherReadEveryItemOnce) {
  auto w = world();
  SharedDir dir;
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

TEST(ParallelIo, VerifyAgreesOnTheWholePool) {
  auto w = world();
  SharedDir dir;
  if (w.is_root())
    pool::write_synth_pool({3000, {pool::Kind::images, {1, 4, 4}}, 5, 2, 0}, dir / "pool.h5",
                           Overwrite::refuse);
  w.barrier();
  pool::VerifyResult result = pool::verify_pool(w, dir / "pool.h5", 256);
  EXPECT_EQ(result.items, 3000u);
  std::uint64_t labelled = 0;
  for (auto count : result.label_counts) labelled += count;
  EXPECT_EQ(labelled, 3000u);
  // Every rank holds the same combined result.
  EXPECT_EQ(w.allreduce<std::uint64_t>(result.items, comm::Op::min), 3000u);
  EXPECT_GT(result.mean_value, 0.0);
}

}  // namespace
}  // namespace quarry

// HDF5 with MPI-IO: ranks write their rows of one file collectively and read it back.
#include <gtest/gtest.h>

#include "comm/communicator.hpp"
#include "comm/shard.hpp"
#include "h5/file.hpp"
#include "support/shared_dir.hpp"

namespace quarry {
namespace {

comm::Communicator world() {
  return comm::Communicator(MPI_COMM_WORLD);
}

TEST(ParallelIo, RanksWriteTheirRowsOfOneFileWithMpiIo) {
  auto w = world();
  testing::SharedDir dir(MPI_COMM_WORLD);
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

}  // namespace
}  // namespace quarry

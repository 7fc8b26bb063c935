// `quarry pool check` across ranks: every rank holds the same combined result.
#include <gtest/gtest.h>

#include "comm/communicator.hpp"
#include "pool/synth.hpp"
#include "pool/verify.hpp"
#include "support/shared_dir.hpp"

namespace quarry {
namespace {

comm::Communicator world() {
  return comm::Communicator(MPI_COMM_WORLD);
}

TEST(ParallelIo, VerifyAgreesOnTheWholePool) {
  auto w = world();
  testing::SharedDir dir(MPI_COMM_WORLD);
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

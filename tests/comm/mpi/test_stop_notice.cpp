#include <gtest/gtest.h>

#include <thread>

#include "comm/communicator.hpp"
#include "comm/session.hpp"
#include "comm/stop_notice.hpp"
#include "core/interrupt.hpp"

namespace quarry::comm {
namespace {

Communicator world() {
  return Communicator(MPI_COMM_WORLD);
}

TEST(StopNotice, OneInterruptedRankStopsEveryRank) {
  auto w = world();
  clear_interrupt();
  StopNotice stop(w);
  EXPECT_FALSE(stop.requested());
  w.barrier();
  // Only the last rank gets the signal; the notice must reach every other rank.
  if (w.rank() == w.size() - 1) request_interrupt();
  bool seen = false;
  for (int attempt = 0; attempt < 10000 && !seen; ++attempt) {
    seen = stop.requested();
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(seen) << "rank " << w.rank() << " never heard of the stop";
  stop.finish();
  clear_interrupt();
}

TEST(StopNotice, SeveralRanksInterruptedAtOnceSettleCleanly) {
  auto w = world();
  clear_interrupt();
  {
    StopNotice stop(w);
    request_interrupt();  // every rank, as srun --signal does
    EXPECT_TRUE(stop.requested());
    stop.finish();
  }
  clear_interrupt();
  // A fresh notice afterwards sees nothing left over from the first.
  StopNotice again(w);
  EXPECT_FALSE(again.requested());
  again.finish();
}

TEST(OnRootForAll, RootFailureIsRaisedOnEveryRankWithItsExitCode) {
  auto w = world();
  try {
    on_root_for_all(w, [] { throw InputError("a.h5", "/ids", "is broken"); });
    FAIL() << "no error raised";
  } catch (const Error& error) {
    EXPECT_EQ(error.exit_code(), kExitBadInput);
    EXPECT_TRUE(error.on_every_rank());
    EXPECT_STREQ(error.what(), "a.h5: /ids: is broken");
  }
}

TEST(AgreeOnErrors, SameFailureEverywhereIsAgreed) {
  auto w = world();
  try {
    agree_on_errors(w, [] { throw UsageError("bad option"); });
    FAIL() << "no error raised";
  } catch (const Error& error) {
    EXPECT_EQ(error.exit_code(), kExitBadInput);
    EXPECT_TRUE(error.on_every_rank());
  }
  EXPECT_NO_THROW(agree_on_errors(w, [] {}));
}

TEST(AgreeOnErrors, FailureOnOneRankIsRaisedEverywhereWithItsMessage) {
  auto w = world();
  const int failing = w.size() - 1;  // not rank 0: the message must travel
  try {
    agree_on_errors(w, [&] {
      if (w.rank() == failing) throw InputError("x.h5", "row 3", "only here", "fix row 3");
    });
    FAIL() << "no error raised";
  } catch (const Error& error) {
    EXPECT_EQ(error.exit_code(), kExitBadInput);
    EXPECT_TRUE(error.on_every_rank());
    EXPECT_STREQ(error.what(), "x.h5: row 3: only here");
    EXPECT_EQ(error.hint(), "fix row 3");
  }
}

TEST(AgreeOnErrors, TheLowestFailingRankSpeaks) {
  auto w = world();
  try {
    agree_on_errors(w, [&] { throw Error("rank " + std::to_string(w.rank()) + " failed"); });
    FAIL() << "no error raised";
  } catch (const Error& error) {
    EXPECT_EQ(error.exit_code(), kExitFailed);
    EXPECT_STREQ(error.what(), "rank 0 failed");
  }
}

}  // namespace
}  // namespace quarry::comm

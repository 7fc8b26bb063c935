// MPI's int counts: the checked narrowing, the pieces large collectives are cut into and the
// allgatherv layout, tested on the arithmetic alone (nothing of 2^31 elements is allocated).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "comm/mpi_count.hpp"
#include "comm/session.hpp"
#include "core/error.hpp"

namespace quarry::comm {
namespace {

using Pieces = std::vector<std::pair<std::size_t, int>>;

Pieces pieces_of(std::size_t total, std::size_t limit = kMaxMpiCount) {
  Pieces pieces;
  for_each_piece(
      total, [&](std::size_t offset, int count) { pieces.emplace_back(offset, count); }, limit);
  return pieces;
}

TEST(MpiCount, CountsUpToIntMaxPassThrough) {
  EXPECT_EQ(mpi_count(0, "x"), 0);
  EXPECT_EQ(mpi_count(12345, "x"), 12345);
  EXPECT_EQ(mpi_count(kMaxMpiCount, "x"), INT_MAX);
}

TEST(MpiCount, ALargerCountIsAnErrorNamingTheOperationAndTheCount) {
  try {
    mpi_count(kMaxMpiCount + 1, "broadcasting the scores");
    FAIL() << "no error";
  } catch (const Error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("broadcasting the scores"), std::string::npos) << what;
    EXPECT_NE(what.find("2147483648 elements"), std::string::npos) << what;
    EXPECT_EQ(error.exit_code(), kExitFailed);
  }
}

TEST(MpiCount, PiecesCoverTheBufferInOrder) {
  EXPECT_EQ(pieces_of(10, 4), (Pieces{{0, 4}, {4, 4}, {8, 2}}));
  EXPECT_EQ(pieces_of(8, 4), (Pieces{{0, 4}, {4, 4}}));
  EXPECT_EQ(pieces_of(3, 4), (Pieces{{0, 3}}));
  EXPECT_EQ(pieces_of(1), (Pieces{{0, 1}}));
}

TEST(MpiCount, AnEmptyBufferIsStillOneCall) {
  // Every rank must enter the collective, even with nothing to send.
  EXPECT_EQ(pieces_of(0), (Pieces{{0, 0}}));
  EXPECT_EQ(pieces_of(0, 4), (Pieces{{0, 0}}));
}

TEST(MpiCount, MoreThanIntMaxElementsGoInIntMaxPieces) {
  const std::size_t total = 3 * kMaxMpiCount + 5;  // 6442450946 elements
  const Pieces pieces = pieces_of(total);
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(pieces[0], (std::pair<std::size_t, int>{0, INT_MAX}));
  EXPECT_EQ(pieces[1], (std::pair<std::size_t, int>{kMaxMpiCount, INT_MAX}));
  EXPECT_EQ(pieces[2], (std::pair<std::size_t, int>{2 * kMaxMpiCount, INT_MAX}));
  EXPECT_EQ(pieces[3], (std::pair<std::size_t, int>{3 * kMaxMpiCount, 5}));
  EXPECT_EQ(pieces_of(kMaxMpiCount).size(), 1u);
  EXPECT_EQ(pieces_of(kMaxMpiCount + 1).back(), (std::pair<std::size_t, int>{kMaxMpiCount, 1}));
}

TEST(MpiCount, GatherLayoutPlacesRanksInOrder) {
  std::vector<int> counts, offsets;
  EXPECT_EQ(gather_layout({3, 0, 5}, counts, offsets), 8);
  EXPECT_EQ(counts, (std::vector<int>{3, 0, 5}));
  EXPECT_EQ(offsets, (std::vector<int>{0, 3, 3}));
}

TEST(MpiCount, GatherLayoutRefusesATotalOverIntMax) {
  std::vector<int> counts, offsets;
  // Each rank's count fits an int; together they do not, and MPI's offsets are ints too.
  const std::vector<std::uint64_t> sizes{kMaxMpiCount, 1};
  try {
    gather_layout(sizes, counts, offsets);
    FAIL() << "no error";
  } catch (const Error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("allgatherv"), std::string::npos) << what;
    EXPECT_NE(what.find("2147483648"), std::string::npos) << what;
  }
  EXPECT_THROW(gather_layout({UINT64_MAX, UINT64_MAX}, counts, offsets), Error);
}

TEST(MpiThreadLevel, ALowerLevelThanRequiredIsRefusedByName) {
  EXPECT_NO_THROW(check_thread_level(MPI_THREAD_FUNNELED, MPI_THREAD_FUNNELED));
  EXPECT_NO_THROW(check_thread_level(MPI_THREAD_MULTIPLE, MPI_THREAD_FUNNELED));
  try {
    check_thread_level(MPI_THREAD_SINGLE, MPI_THREAD_FUNNELED);
    FAIL() << "no error";
  } catch (const Error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("MPI_THREAD_SINGLE"), std::string::npos) << what;
    EXPECT_NE(what.find("MPI_THREAD_FUNNELED"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace quarry::comm

#pragma once
// MPI takes element counts as int. Every count handed to MPI goes through this file: a buffer
// larger than INT_MAX elements is either sent in pieces (for_each_piece, where the operation
// allows it) or refused with an error naming the operation and the count (mpi_count), never
// silently truncated.
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace quarry::comm {

inline constexpr std::size_t kMaxMpiCount = INT_MAX;

// `count` as an MPI count; Error ("<operation>: <count> elements are more than one MPI call can
// carry (2147483647)") when it does not fit.
int mpi_count(std::size_t count, std::string_view operation);

// Calls piece(offset, count) for consecutive pieces of at most `limit` (1 to kMaxMpiCount)
// elements covering [0, total), in order; once with (0, 0) when `total` is 0, so a collective is
// still entered on every rank.
template <class Piece>
void for_each_piece(std::size_t total, Piece&& piece, std::size_t limit = kMaxMpiCount) {
  std::size_t offset = 0;
  do {
    const std::size_t count = total - offset < limit ? total - offset : limit;
    piece(offset, static_cast<int>(count));
    offset += count;
  } while (offset < total);
}

// Where each rank's part of an allgatherv goes: fills `counts` and `offsets` (resized like
// `sizes`, each rank's element count) as MPI's ints and returns the total. Error naming the total
// when it is over INT_MAX (MPI's offsets are ints too): the same on every rank, since every rank
// has the same `sizes`.
int gather_layout(const std::vector<std::uint64_t>& sizes, std::vector<int>& counts,
                  std::vector<int>& offsets);

}  // namespace quarry::comm

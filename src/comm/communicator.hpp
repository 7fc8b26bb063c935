#pragma once
// A thin communicator wrapper with typed collectives. Every rank must call a collective in the
// same order; the wrapper only removes the MPI_Datatype bookkeeping. MPI's return codes are not
// checked: quarry keeps MPI's default error handler (MPI_ERRORS_ARE_FATAL), which aborts the job
// on a failed call. MPI counts are ints: larger buffers go in pieces or are refused by name
// (mpi_count.hpp), never truncated.
#include <mpi.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "comm/mpi_count.hpp"

namespace quarry::comm {

template <class T>
MPI_Datatype mpi_type();
template <>
inline MPI_Datatype mpi_type<char>() {
  return MPI_CHAR;
}
template <>
inline MPI_Datatype mpi_type<std::uint8_t>() {
  return MPI_UINT8_T;
}
template <>
inline MPI_Datatype mpi_type<std::int32_t>() {
  return MPI_INT32_T;
}
template <>
inline MPI_Datatype mpi_type<std::uint32_t>() {
  return MPI_UINT32_T;
}
template <>
inline MPI_Datatype mpi_type<std::int64_t>() {
  return MPI_INT64_T;
}
template <>
inline MPI_Datatype mpi_type<std::uint64_t>() {
  return MPI_UINT64_T;
}
template <>
inline MPI_Datatype mpi_type<float>() {
  return MPI_FLOAT;
}
template <>
inline MPI_Datatype mpi_type<double>() {
  return MPI_DOUBLE;
}

enum class Op { sum, min, max };

class OwnedCommunicator;

class Communicator {
 public:
  explicit Communicator(MPI_Comm comm) : comm_(comm) {}
  MPI_Comm raw() const { return comm_; }
  int rank() const;
  int size() const;
  bool is_root() const { return rank() == 0; }

  void barrier() const;

  // Element-wise, so a buffer over INT_MAX elements is reduced in pieces.
  template <class T>
  void allreduce(std::span<T> values, Op op) const {
    for_each_piece(values.size(), [&](std::size_t offset, int count) {
      MPI_Allreduce(MPI_IN_PLACE, values.data() + offset, count, mpi_type<T>(), to_mpi(op), comm_);
    });
  }
  template <class T>
  T allreduce(T value, Op op) const {
    allreduce(std::span<T>(&value, 1), op);
    return value;
  }
  // True on every rank when the flag is true on any (or on all) ranks.
  bool any(bool flag) const { return allreduce<std::int32_t>(flag ? 1 : 0, Op::max) != 0; }
  bool all(bool flag) const { return allreduce<std::int32_t>(flag ? 1 : 0, Op::min) != 0; }

  // Every rank passes the same size; a buffer over INT_MAX elements goes in pieces.
  template <class T>
  void broadcast(std::span<T> values, int root) const {
    for_each_piece(values.size(), [&](std::size_t offset, int count) {
      MPI_Bcast(values.data() + offset, count, mpi_type<T>(), root, comm_);
    });
  }
  template <class T>
  T broadcast(T value, int root) const {
    broadcast(std::span<T>(&value, 1), root);
    return value;
  }
  std::string broadcast(std::string text, int root) const;

  template <class T>
  std::vector<T> allgather(T value) const {
    std::vector<T> all(static_cast<size_t>(size()));
    MPI_Allgather(&value, 1, mpi_type<T>(), all.data(), 1, mpi_type<T>(), comm_);
    return all;
  }
  // Every rank's values, concatenated in rank order (lengths may differ per rank). MPI places
  // them at int offsets, so more than INT_MAX elements in all is an Error, raised on every rank.
  template <class T>
  std::vector<T> allgatherv(std::span<const T> values) const {
    const auto sizes = allgather<std::uint64_t>(values.size());
    std::vector<int> counts, offsets;
    const int total = gather_layout(sizes, counts, offsets);
    std::vector<T> all(static_cast<size_t>(total));
    MPI_Allgatherv(values.data(), counts[static_cast<size_t>(rank())], mpi_type<T>(), all.data(),
                   counts.data(), offsets.data(), mpi_type<T>(), comm_);
    return all;
  }
  // Sum of `value` over the ranks before this one (0 on rank 0).
  template <class T>
  T exclusive_sum(T value) const {
    T result{};
    MPI_Exscan(&value, &result, 1, mpi_type<T>(), MPI_SUM, comm_);
    return rank() == 0 ? T{} : result;
  }

  // Ranks on this node, ordered by world rank: a rank's GPU is local_rank % visible devices.
  // Collective; the new communicator is freed when the result goes out of scope.
  OwnedCommunicator split_shared() const;

 private:
  static MPI_Op to_mpi(Op op);
  MPI_Comm comm_;
};

// A communicator this process created (MPI_Comm_dup, MPI_Comm_split_type), freed with
// MPI_Comm_free when it goes out of scope; move-only, so it is freed exactly once.
class OwnedCommunicator {
 public:
  explicit OwnedCommunicator(MPI_Comm comm) : comm_(comm) {}
  ~OwnedCommunicator();
  OwnedCommunicator(OwnedCommunicator&& other) noexcept;
  OwnedCommunicator& operator=(OwnedCommunicator&& other) noexcept;
  OwnedCommunicator(const OwnedCommunicator&) = delete;
  OwnedCommunicator& operator=(const OwnedCommunicator&) = delete;
  Communicator get() const { return Communicator(comm_); }

 private:
  void free();
  MPI_Comm comm_;
};

// A copy of `comm` for traffic that must never match other messages on it. Collective.
OwnedCommunicator duplicate(const Communicator& comm);

}  // namespace quarry::comm

#include "comm/communicator.hpp"

#include <utility>

namespace quarry::comm {

int Communicator::rank() const {
  int r = 0;
  MPI_Comm_rank(comm_, &r);
  return r;
}

int Communicator::size() const {
  int s = 1;
  MPI_Comm_size(comm_, &s);
  return s;
}

void Communicator::barrier() const {
  MPI_Barrier(comm_);
}

std::string Communicator::broadcast(std::string text, int root) const {
  auto length = broadcast<std::uint64_t>(text.size(), root);
  text.resize(length);
  broadcast(std::span<char>(text.data(), text.size()), root);
  return text;
}

MPI_Op Communicator::to_mpi(Op op) {
  switch (op) {
    case Op::sum:
      return MPI_SUM;
    case Op::min:
      return MPI_MIN;
    case Op::max:
      return MPI_MAX;
  }
  return MPI_SUM;
}

OwnedCommunicator Communicator::split_shared() const {
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank(), MPI_INFO_NULL, &node);
  return OwnedCommunicator(node);
}

OwnedCommunicator::~OwnedCommunicator() {
  free();
}

OwnedCommunicator::OwnedCommunicator(OwnedCommunicator&& other) noexcept
    : comm_(std::exchange(other.comm_, MPI_COMM_NULL)) {}

OwnedCommunicator& OwnedCommunicator::operator=(OwnedCommunicator&& other) noexcept {
  if (this != &other) {
    free();
    comm_ = std::exchange(other.comm_, MPI_COMM_NULL);
  }
  return *this;
}

void OwnedCommunicator::free() {
  // After MPI_Finalize every communicator is gone already (and MPI may not be called).
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
  comm_ = MPI_COMM_NULL;
}

OwnedCommunicator duplicate(const Communicator& comm) {
  MPI_Comm copy = MPI_COMM_NULL;
  MPI_Comm_dup(comm.raw(), &copy);
  return OwnedCommunicator(copy);
}

}  // namespace quarry::comm

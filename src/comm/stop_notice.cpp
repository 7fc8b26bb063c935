#include "comm/stop_notice.hpp"

#include "core/interrupt.hpp"

namespace quarry::comm {

namespace {
constexpr int kTagStop = 7;
}  // namespace

StopNotice::StopNotice(const Communicator& comm) : comm_(duplicate(comm)) {}

bool StopNotice::receive_pending() {
  bool any = false;
  while (true) {
    int pending = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagStop, comm_.get().raw(), &pending, &status);
    if (!pending) return any;
    int token = 0;
    MPI_Recv(&token, 1, MPI_INT, status.MPI_SOURCE, kTagStop, comm_.get().raw(), MPI_STATUS_IGNORE);
    ++received_;
    any = true;
  }
}

bool StopNotice::requested() {
  const auto comm = comm_.get();
  if (receive_pending()) stop_ = true;
  if (interrupt_requested()) stop_ = true;
  if (stop_ && !sent_) {
    sent_ = true;
    for (int peer = 0; peer < comm.size(); ++peer) {
      if (peer == comm.rank()) continue;
      sends_.emplace_back();
      MPI_Isend(&token_, 1, MPI_INT, peer, kTagStop, comm.raw(), &sends_.back());
    }
  }
  return stop_;
}

StopNotice::~StopNotice() {
  if (finished_) return;
  for (auto& request : sends_)
    if (request != MPI_REQUEST_NULL) MPI_Request_free(&request);
}

void StopNotice::finish() {
  finished_ = true;
  // Every rank gets here together. Each rank that stopped on its own sent one notice to every
  // other rank; receive exactly the ones still owed, so nothing is left pending when the
  // communicator is freed.
  const auto comm = comm_.get();
  const int sent = sent_ ? 1 : 0;
  int senders = 0;
  MPI_Allreduce(&sent, &senders, 1, MPI_INT, MPI_SUM, comm.raw());
  for (int owed = senders - sent - received_; owed > 0; --owed) {
    int token = 0;
    MPI_Recv(&token, 1, MPI_INT, MPI_ANY_SOURCE, kTagStop, comm.raw(), MPI_STATUS_IGNORE);
  }
  MPI_Waitall(mpi_count(sends_.size(), "waiting for stop notices"), sends_.data(),
              MPI_STATUSES_IGNORE);
}

}  // namespace quarry::comm

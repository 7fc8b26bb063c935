#pragma once
// Cooperative stop across ranks. Slurm and mpirun usually deliver SIGUSR1/SIGTERM to every rank,
// but not always (a signal sent to one process, a rank on a node whose step got it late). The
// first rank that sees the local interrupt flag tells every other rank with a small non-blocking
// message on a private communicator; each rank polls between work units, so all ranks finish
// their current unit and stop, and none waits on a peer that already stopped.
#include <vector>

#include "comm/communicator.hpp"

namespace quarry::comm {

class StopNotice {
 public:
  explicit StopNotice(const Communicator& comm);  // collective
  // Without finish() (a failure is unwinding the stack and the job is about to be aborted),
  // only releases local requests: a collective here could wait on ranks that never come.
  ~StopNotice();
  StopNotice(const StopNotice&) = delete;
  StopNotice& operator=(const StopNotice&) = delete;

  // True once this rank was interrupted or any rank told it to stop. Cheap; never blocks.
  bool requested();

  // Collective, on the normal path: settles every notice sent, so none is left in flight.
  void finish();

 private:
  bool receive_pending();

  OwnedCommunicator comm_;
  bool stop_ = false;
  bool sent_ = false;
  bool finished_ = false;
  int token_ = 1;
  int received_ = 0;  // notices taken so far (each other rank sends at most one)
  std::vector<MPI_Request> sends_;
};

}  // namespace quarry::comm

#pragma once
// RAII MPI lifetime. MPI_THREAD_FUNNELED: only the main thread calls MPI; the pool reader's I/O
// thread calls HDF5 with the serial driver only, so no MPI call ever leaves the main thread.
#include <functional>

#include "comm/communicator.hpp"
#include "core/error.hpp"

namespace quarry::comm {

class Session {
 public:
  Session(int* argc, char*** argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Communicator world() const { return Communicator(MPI_COMM_WORLD); }

  // Ends every rank of the job at once: used when one rank fails, so the others never hang
  // in a collective that the failed rank will not reach.
  [[noreturn]] static void abort_job(int exit_code);
};

// The exit code every rank leaves with. A failure on some ranks aborts the whole job (the others
// may be blocked in a collective they will never leave); a failure raised on every rank, and an
// interruption (99, agreed by all ranks beforehand), end normally with that code.
int finish_collective(const Communicator& world, const Outcome& outcome);

// Runs `body` on rank 0 only (checks and file-system steps that one rank must do) and makes every
// rank raise the same error if it failed, so the job ends with one message and the right exit
// code instead of an abort. Collective.
void on_root_for_all(const Communicator& world, const std::function<void()>& body);

// Runs `body` on every rank (checks every rank makes the same way, like opening the inputs). When
// it failed on every rank, the error is marked agreed so only rank 0 reports it; when only some
// ranks failed, every rank raises (the others a RelayedError with the same exit code) and the job
// ends through finish_collective. Collective.
void on_every_rank_agreed(const Communicator& world, const std::function<void()>& body);

// A launch that lost its PMI wiring starts P independent single-rank jobs that all write the
// same outputs. Under Slurm the expected size is known: refuse to run when it differs.
void check_world_matches_slurm(const Communicator& world);

}  // namespace quarry::comm

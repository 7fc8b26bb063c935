#pragma once
// RAII MPI lifetime. MPI_THREAD_FUNNELED: only the main thread calls MPI; the pool reader's I/O
// thread calls HDF5 with the serial driver only, so no MPI call ever leaves the main thread.
#include <functional>

#include "comm/communicator.hpp"
#include "core/error.hpp"

namespace quarry::comm {

class Session {
 public:
  // Initialises MPI (unless it is already) at MPI_THREAD_FUNNELED. Error (exit 1, raised on
  // every rank, MPI finalized again) when the library provides less on any rank.
  Session(int* argc, char*** argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Communicator world() const { return Communicator(MPI_COMM_WORLD); }

  // Ends every rank of the job at once: used when one rank fails, so the others never hang
  // in a collective that the failed rank will not reach.
  [[noreturn]] static void abort_job(int exit_code);
};

// Error naming both levels when MPI's `provided` thread support is below `required`.
void check_thread_level(int provided, int required);

// The exit code every rank leaves with. A failure on some ranks aborts the whole job (the others
// may be blocked in a collective they will never leave); a failure raised on every rank, and an
// interruption (99, agreed by all ranks beforehand), end normally with that code.
int finish_collective(const Communicator& world, const Outcome& outcome);

// quarry's one protocol for errors across ranks. Runs `body` on every rank (`body` must not call
// collectives); when it throws on any rank, every rank throws the error of the lowest rank that
// failed: its message, hint and exit code, marked as raised on every rank. So a problem found by
// one rank (a bad row in its shard) ends the whole job normally, with one message from rank 0 and
// the right exit code, instead of an abort. An exception that is no quarry::Error is relayed as
// an internal error (exit 1). Collective.
void agree_on_errors(const Communicator& world, const std::function<void()>& body);

// The same protocol for work that one rank does for all (checks and file-system steps): `body`
// runs on rank 0 only. Collective.
void on_root_for_all(const Communicator& world, const std::function<void()>& body);

// A launch that lost its PMI wiring starts P independent single-rank jobs that all write the
// same outputs. Under Slurm the expected size is known: refuse to run when it differs.
void check_world_matches_slurm(const Communicator& world);

}  // namespace quarry::comm

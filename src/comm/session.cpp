#include "comm/session.hpp"

#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/path_error.hpp"

namespace quarry::comm {

Session::Session(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  }
  Communicator w = world();
  logging::set_rank(w.rank(), w.size());
}

Session::~Session() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void Session::abort_job(int exit_code) {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);  // MPI_Abort does not return; this only satisfies [[noreturn]]
}

int finish_collective(const Communicator& world, const Outcome& outcome) {
  const bool agreed = outcome.on_every_rank || outcome.exit_code == kExitInterrupted;
  if (outcome.exit_code != kExitOk && !agreed && world.size() > 1)
    Session::abort_job(outcome.exit_code);
  return outcome.exit_code;
}

void agree_on_errors(const Communicator& world, const std::function<void()>& body) {
  int code = kExitOk;
  std::string what, hint;
  try {
    with_path_errors(body);
  } catch (const Error& error) {
    code = error.exit_code();
    what = error.what();
    hint = error.hint();
  } catch (const std::exception& error) {
    code = kExitFailed;
    what = std::string("internal error: ") + error.what();
    hint = "please report this with the command that caused it";
  }
  const int first_failed =
      world.allreduce<std::int32_t>(code != kExitOk ? world.rank() : world.size(), Op::min);
  if (first_failed == world.size()) return;
  what = world.broadcast(what, first_failed);
  hint = world.broadcast(hint, first_failed);
  code = world.broadcast(code, first_failed);
  RelayedError error(what, hint, code);
  error.set_on_every_rank();
  throw error;
}

void on_root_for_all(const Communicator& world, const std::function<void()>& body) {
  agree_on_errors(world, [&] {
    if (world.is_root()) body();
  });
}

void check_world_matches_slurm(const Communicator& world) {
  const char* ntasks = std::getenv("SLURM_NTASKS");
  if (!ntasks || std::getenv("QUARRY_IGNORE_SLURM_NTASKS")) return;
  char* end = nullptr;
  long expected = std::strtol(ntasks, &end, 10);
  if (end == ntasks || expected <= 0 || expected == world.size()) return;
  throw UsageError("MPI world has " + std::to_string(world.size()) +
                       " rank(s) but SLURM_NTASKS=" + std::string(ntasks) +
                       ": the launcher did not connect the ranks (each started alone)",
                   "launch with srun --mpi=pmix (or pmi2) or with mpirun inside the allocation; "
                   "set QUARRY_IGNORE_SLURM_NTASKS=1 to run a deliberately smaller job");
}

}  // namespace quarry::comm

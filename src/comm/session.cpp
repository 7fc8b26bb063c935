#include "comm/session.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/path_error.hpp"

namespace quarry::comm {

namespace {
constexpr int kThreadLevel = MPI_THREAD_FUNNELED;  // see session.hpp

const char* thread_level_name(int level) {
  if (level == MPI_THREAD_SINGLE) return "MPI_THREAD_SINGLE";
  if (level == MPI_THREAD_FUNNELED) return "MPI_THREAD_FUNNELED";
  if (level == MPI_THREAD_SERIALIZED) return "MPI_THREAD_SERIALIZED";
  if (level == MPI_THREAD_MULTIPLE) return "MPI_THREAD_MULTIPLE";
  return "an unknown level";
}
}  // namespace

void check_thread_level(int provided, int required) {
  // The standard orders the levels: SINGLE < FUNNELED < SERIALIZED < MULTIPLE.
  if (provided >= required) return;
  throw Error(
      fmt::format("the MPI library provides thread support {} ({}), quarry needs {} ({})",
                  thread_level_name(provided), provided, thread_level_name(required), required),
      "use an MPI library built with thread support (Open MPI, MPICH and Intel MPI all "
      "provide it): check which MPI module or libmpi quarry was started with");
}

Session::Session(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  int provided = MPI_THREAD_SINGLE;
  if (initialized)
    MPI_Query_thread(&provided);
  else
    MPI_Init_thread(argc, argv, kThreadLevel, &provided);
  Communicator w = world();
  logging::set_rank(w.rank(), w.size());
  // Every rank checks the lowest level of all, so all refuse together: one message, no abort.
  try {
    check_thread_level(w.allreduce<std::int32_t>(provided, Op::min), kThreadLevel);
  } catch (Error& error) {
    if (!initialized) MPI_Finalize();  // the destructor does not run for a failed constructor
    error.set_on_every_rank();
    throw;
  }
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

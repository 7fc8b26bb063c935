#include "h5/input_guard.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

namespace quarry::h5 {

namespace {

[[noreturn]] void run_child(const std::function<void()>& read) {
  // The child ends with this process, and never runs the parent's exit handlers (HDF5's, MPI's).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGUSR1, SIG_DFL);
  try {
    read();
  } catch (...) {
    // An error the library reports is the caller's to report, from its own read.
  }
  ::_exit(0);
}

// The child's wait status, or nullopt when it was still running at the limit (then killed).
std::optional<int> wait_for(pid_t child, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) return status;
    if (done < 0 && errno != EINTR) return 0;  // not ours to wait for: nothing learnt
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      return std::nullopt;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20000));
  }
}

}  // namespace

void probe_in_child(const std::filesystem::path& path, const std::function<void()>& read,
                    std::chrono::seconds limit) {
  const pid_t child = ::fork();
  if (child < 0) return;  // no process to spare: read without the guard
  if (child == 0) run_child(read);
  const auto status = wait_for(child, limit);
  const char* hint = "the file is damaged: write it again with quarry, or restore it from a backup";
  if (!status)
    throw InputError(path.string(), "",
                     fmt::format("HDF5 did not finish reading it in {} s (a damaged file can make "
                                 "it loop forever)",
                                 limit.count()),
                     hint);
  if (WIFSIGNALED(*status))
    throw InputError(path.string(), "",
                     fmt::format("HDF5 crashed reading it ({})", ::strsignal(WTERMSIG(*status))),
                     hint);
  // The child exits 0 whatever `read` did; anything else is a crash that a handler turned into
  // an exit (a sanitizer's report, HDF5's own abort path).
  if (WIFEXITED(*status) && WEXITSTATUS(*status) != 0)
    throw InputError(path.string(), "",
                     fmt::format("HDF5 crashed reading it (the reading process exited {})",
                                 WEXITSTATUS(*status)),
                     hint);
}

}  // namespace quarry::h5

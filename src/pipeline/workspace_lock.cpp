#include "pipeline/workspace_lock.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace quarry::pipeline {

namespace {
std::string holder_description(const std::string& purpose) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::time_t now = std::time(nullptr);
  char when[32] = {};
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  std::string job;
  if (const char* id = std::getenv("SLURM_JOB_ID")) job = fmt::format(", Slurm job {}", id);
  return fmt::format("{} (pid {} on {}{}, since {})", purpose, ::getpid(), host, job, when);
}
}  // namespace

namespace {
std::string read_holder(const std::filesystem::path& lock_file) {
  std::ifstream in(lock_file);
  std::stringstream holder;
  holder << in.rdbuf();
  auto who = holder.str();
  while (!who.empty() && who.back() == '\n') who.pop_back();
  return who.empty() ? "another quarry run holds its lock" : who;
}
}  // namespace

std::optional<std::string> workspace_lock_holder(const std::filesystem::path& lock_file) {
  if (!file_lock_held(lock_file)) return std::nullopt;
  return read_holder(lock_file);
}

WorkspaceLock::WorkspaceLock(const std::filesystem::path& lock_file, const std::string& purpose)
    : lock_(FileLock::try_lock(lock_file)) {
  if (lock_.status() == FileLock::Status::cannot_open)
    throw Error(fmt::format("cannot open {}: {}", lock_file.string(), std::strerror(lock_.error())),
                "the workspace must be writable");
  if (lock_.status() == FileLock::Status::cannot_lock)
    throw Error(
        fmt::format("cannot lock {}: {}", lock_file.string(), std::strerror(lock_.error())));
  if (!lock_.held())
    throw Error(fmt::format("workspace {} is busy: {}", lock_file.parent_path().string(),
                            read_holder(lock_file)),
                "wait for that run to finish (quarry status shows it), then run again");
  // Who holds it, for a refused run's message and quarry status; only informative, so a write
  // that fails (a full disk) leaves the generic text and the run goes on.
  const auto text = holder_description(purpose) + "\n";
  if (::ftruncate(lock_.fd(), 0) == 0) {
    [[maybe_unused]] auto written = ::pwrite(lock_.fd(), text.data(), text.size(), 0);
  }
}

WorkspaceLock::~WorkspaceLock() {
  // Clear the holder before the lock goes (closing the file releases it); a destructor cannot
  // report a failed truncate, and a stale name in an unlocked file is never shown.
  if (!lock_.held()) return;
  [[maybe_unused]] auto ignored = ::ftruncate(lock_.fd(), 0);
}

}  // namespace quarry::pipeline

#include "pipeline/workspace_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
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

WorkspaceLock::WorkspaceLock(const std::filesystem::path& lock_file, const std::string& purpose) {
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error(fmt::format("cannot open {}: {}", lock_file.string(), std::strerror(errno)),
                "the workspace must be writable");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd_);
    fd_ = -1;
    if (saved != EWOULDBLOCK)
      throw Error(fmt::format("cannot lock {}: {}", lock_file.string(), std::strerror(saved)));
    std::ifstream in(lock_file);
    std::stringstream holder;
    holder << in.rdbuf();
    auto who = holder.str();
    while (!who.empty() && who.back() == '\n') who.pop_back();
    throw Error(fmt::format("workspace {} is busy: {}", lock_file.parent_path().string(),
                            who.empty() ? "another quarry run holds its lock" : who),
                "wait for that run to finish (quarry status shows it), then run again");
  }
  const auto text = holder_description(purpose) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] auto written = ::pwrite(fd_, text.data(), text.size(), 0);
  }
}

WorkspaceLock::~WorkspaceLock() {
  if (fd_ < 0) return;
  [[maybe_unused]] auto ignored = ::ftruncate(fd_, 0);
  ::close(fd_);  // closing releases the lock
}

}  // namespace quarry::pipeline

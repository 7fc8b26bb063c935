#include "pipeline/workspace_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
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

namespace {

// An open-file-description lock on the whole file: released when the process dies, like flock,
// and, unlike flock, testable without taking it (F_OFD_GETLK), so status can ask who holds it.
struct flock whole_file(short type) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  return lock;
}

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
  const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  auto lock = whole_file(F_WRLCK);
  const bool held = ::fcntl(fd, F_OFD_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  if (!held) return std::nullopt;
  return read_holder(lock_file);
}

WorkspaceLock::WorkspaceLock(const std::filesystem::path& lock_file, const std::string& purpose) {
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error(fmt::format("cannot open {}: {}", lock_file.string(), std::strerror(errno)),
                "the workspace must be writable");
  auto lock = whole_file(F_WRLCK);
  if (::fcntl(fd_, F_OFD_SETLK, &lock) != 0) {
    const int saved = errno;
    ::close(fd_);
    fd_ = -1;
    if (saved != EAGAIN && saved != EACCES)
      throw Error(fmt::format("cannot lock {}: {}", lock_file.string(), std::strerror(saved)));
    throw Error(fmt::format("workspace {} is busy: {}", lock_file.parent_path().string(),
                            read_holder(lock_file)),
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

#include "core/file_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace quarry {

namespace {
struct flock whole_file(short type) {
  struct flock range {};
  range.l_type = type;
  range.l_whence = SEEK_SET;  // l_start 0 and l_len 0: from the start to any end
  return range;
}
}  // namespace

FileLock FileLock::try_lock(const std::filesystem::path& path) {
  FileLock lock;
  lock.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd_ < 0) {
    lock.error_ = errno;
    return lock;
  }
  auto range = whole_file(F_WRLCK);
  if (::fcntl(lock.fd_, F_OFD_SETLK, &range) == 0) {
    lock.status_ = Status::held;
    return lock;
  }
  lock.error_ = errno;
  // POSIX allows either code for a lock held elsewhere.
  lock.status_ =
      lock.error_ == EAGAIN || lock.error_ == EACCES ? Status::busy : Status::cannot_lock;
  lock.close();
  return lock;
}

FileLock::~FileLock() {
  close();
}

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      status_(std::exchange(other.status_, Status::cannot_open)),
      error_(other.error_) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    status_ = std::exchange(other.status_, Status::cannot_open);
    error_ = other.error_;
  }
  return *this;
}

void FileLock::close() {
  // A destructor cannot throw, and nothing is lost here: Linux frees the descriptor, and with it
  // the lock, even when close reports an error (the lock file's contents are not data).
  if (fd_ >= 0) (void)::close(fd_);
  fd_ = -1;
}

bool file_lock_held(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  auto range = whole_file(F_WRLCK);
  const bool held = ::fcntl(fd, F_OFD_GETLK, &range) == 0 && range.l_type != F_UNLCK;
  (void)::close(fd);  // read-only, nothing to lose
  return held;
}

}  // namespace quarry

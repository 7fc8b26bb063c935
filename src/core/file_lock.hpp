#pragma once
// The one lock primitive for everything quarry must not run twice at once (a workspace's round
// runner, a ledger's ingest): an exclusive open-file-description (OFD) fcntl lock on the whole
// lock file. fcntl locks are the kind that shared file systems carry to the server (NFS: NLM for
// v3, the protocol's LOCK for v4; Lustre: with -o flock), where flock() is an emulation that a
// mount option can make local to one node. OFD locks, unlike classic F_SETLK locks, belong to the
// open file, not to the process: closing another descriptor of the file keeps them, and two
// opens in one process exclude each other. The kernel drops the lock when the holder dies, so a
// crash never leaves a stale lock. Why not flock: docs/rounds.md ("Locks").
#include <filesystem>

namespace quarry {

class FileLock {
 public:
  enum class Status { held, busy, cannot_open, cannot_lock };

  // Opens `path` (created 0644 when missing) for reading and writing and locks the whole file
  // without waiting. Never throws: status() and error() say what happened, so each caller words
  // its own message. busy: another open file holds the lock.
  static FileLock try_lock(const std::filesystem::path& path);

  ~FileLock();  // closing the file releases the lock
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  Status status() const { return status_; }
  bool held() const { return status_ == Status::held; }
  int error() const { return error_; }  // errno of the step that failed
  int fd() const { return fd_; }        // the open lock file while held, else -1

 private:
  FileLock() = default;
  void close();

  int fd_ = -1;
  Status status_ = Status::cannot_open;
  int error_ = 0;
};

// Whether some open file holds the lock on `path` (false when the file is missing or the test
// itself fails). Only tests (F_OFD_GETLK), so asking never makes a starting run fail.
bool file_lock_held(const std::filesystem::path& path);

}  // namespace quarry

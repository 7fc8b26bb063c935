#include "ingest/ledger_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace quarry::ingest {

LedgerLock::LedgerLock(const std::filesystem::path& ledger) {
  const std::string path = ledger.string() + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error("cannot open the ledger lock " + path + ": " + std::strerror(errno),
                "the ledger's folder must exist and be writable");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd_);
    fd_ = -1;
    throw Error("cannot lock " + path + ": " +
                    (saved == EWOULDBLOCK ? std::string("another ingest is writing this ledger")
                                          : std::string(std::strerror(saved))),
                "wait for the other ingest to finish, then run this one again");
  }
}

LedgerLock::~LedgerLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace quarry::ingest

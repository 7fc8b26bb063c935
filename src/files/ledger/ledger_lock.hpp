#pragma once
// An exclusive lock on a ledger for one read-modify-write (a FileLock on LEDGER.lock beside it),
// so two ingests started at once cannot both read the old ledger and lose one's labels.
#include <filesystem>

#include "core/file_lock.hpp"

namespace quarry::ingest {

class LedgerLock {
 public:
  // Fails (Error, exit 1) at once when another process holds the lock, instead of waiting.
  // `ledger` is the real file (see resolve_symlinks), so every path to it takes one lock. Once
  // the lock is held, temporaries of the ledger and of its manifest and rejects files are left
  // over from a killed ingest (only the holder writes them) and are removed.
  explicit LedgerLock(const std::filesystem::path& ledger);

 private:
  FileLock lock_;  // released when the LedgerLock goes
};

}  // namespace quarry::ingest

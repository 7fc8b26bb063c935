#include "files/ledger/ledger_lock.hpp"

#include <cstring>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "files/manifest/manifest.hpp"

namespace quarry::ingest {

namespace fs = std::filesystem;

namespace {
// Whether `output` is one of the files an ingest publishes beside `ledger`: the ledger, its
// manifest, or a round's rejects file (LEDGER.round-NNNN.rejected.jsonl).
bool written_by_ingest(const fs::path& output, const fs::path& ledger) {
  const std::string name = output.filename().string();
  const std::string base = ledger.filename().string();
  return name == base || name == manifest_path_for(ledger).filename().string() ||
         (name.starts_with(base + ".round-") && name.ends_with(".rejected.jsonl"));
}

void remove_stale_temporaries(const fs::path& ledger) {
  const fs::path folder = ledger.parent_path().empty() ? fs::path(".") : ledger.parent_path();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const auto target = temporary_target(entry.path());
    if (target && written_by_ingest(*target, ledger)) fs::remove_all(entry.path(), ec);
  }
}
}  // namespace

LedgerLock::LedgerLock(const std::filesystem::path& ledger)
    : lock_(FileLock::try_lock(ledger.string() + ".lock")) {
  const std::string path = ledger.string() + ".lock";
  if (lock_.status() == FileLock::Status::cannot_open)
    throw Error("cannot open the ledger lock " + path + ": " + std::strerror(lock_.error()),
                "the ledger's folder must exist and be writable");
  if (!lock_.held())
    throw Error("cannot lock " + path + ": " +
                    (lock_.status() == FileLock::Status::busy
                         ? std::string("another ingest is writing this ledger")
                         : std::string(std::strerror(lock_.error()))),
                "wait for the other ingest to finish, then run this one again");
  remove_stale_temporaries(ledger);
}

}  // namespace quarry::ingest

#include "ingest/flag_labels.hpp"

#include <memory>
#include <set>

#include "core/atomic_output.hpp"
#include "core/symlinks.hpp"
#include "files/ledger/ledger.hpp"
#include "files/ledger/ledger_lock.hpp"
#include "files/manifest/manifest.hpp"

namespace quarry::ingest {

namespace fs = std::filesystem;

FlagSummary flag_labels(const fs::path& given_ledger, const std::vector<LabelFlag>& flags,
                        std::int32_t round, const fs::path& audit_file) {
  const fs::path path = resolve_symlinks(given_ledger);
  LedgerLock lock(path);
  Ledger ledger = read_ledger(path);
  FlagSummary summary;
  summary.raised = flags.size();
  const auto added = add_flags(ledger.flags, flags, round);
  summary.added = added.size();
  summary.pending = ledger.flags.pending_count();
  if (added.empty()) return summary;
  std::set<std::uint64_t> adjudicate(ledger.adjudicate.begin(), ledger.adjudicate.end());
  adjudicate.insert(added.begin(), added.end());
  ledger.adjudicate.assign(adjudicate.begin(), adjudicate.end());

  AtomicOutput out(path, Overwrite::replace);
  write_ledger(out.temp_path(), ledger);
  out.flush();
  // The manifest vouches for the new ledger where one vouched for the old (a ledger that
  // ingest wrote): it keeps the last ingest's settings, which the round report shows.
  const auto last = read_complete_manifest(path);
  std::unique_ptr<AtomicOutput> record;
  if (last.is_object() && last.contains("settings")) {
    Manifest manifest("audit");
    for (const auto& [key, value] : last["settings"].items()) manifest.set_setting(key, value);
    manifest.add_output("ledger", path, out.temp_path());
    manifest.set_setting("flags", {{"round", round},
                                   {"raised", summary.raised},
                                   {"added", summary.added},
                                   {"pending", summary.pending},
                                   {"file", audit_file.string()}});
    record = manifest.prepare_for(path);
  }
  retract_manifest(path);
  out.commit();
  if (record) record->commit();
  return summary;
}

}  // namespace quarry::ingest

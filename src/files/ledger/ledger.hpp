#pragma once
// The label ledger (DESIGN.md contract, format "ledger/1"): every label quarry has accepted, one
// row per item, sorted by id.
//   /ids uint64 [N] (ascending, unique), /labels int32 [N], /confidence float32 [N] (posterior
//   of the label), /votes int32 [N] (annotations behind it), /round int32 [N] (the ingest that
//   set it), /source string [N] (annotation file it came from)
//   /history/{ids,labels,confidence,votes,round,source,replaced_in_round}: every label that a
//   later ingest changed, so no label is ever silently replaced
//   /adjudicate/ids uint64: items ingested but not resolved (confidence below the threshold);
//   the next export puts them first; an item leaves the list when it gets a label
//   /flags/...: labels confident learning flagged, and how the answers settled them
//   (ledger_flags.hpp); a flagged item is on the adjudication list until it is labeled again
//   /files/{name,sha256,round}: annotation files already ingested (re-ingesting one is a no-op)
//   /annotations/{ids,annotator,label,round,task}: every raw answer (annotator indexes the
//   `annotators` attribute of /annotations), so consensus can be recomputed later; an
//   annotator's repeated answers on one item are separate rows; task is the annotation tool's
//   task id (0: none named; ledgers written before it had no /annotations/task)
//   attributes: quarry_format = "ledger/1", classes (names), rounds (last ingest round)
//   detection and keypoint pools add the objects groups of ledger_objects.hpp (/objects,
//   /objects/history, /annotations/objects); their /labels and /annotations/label are -1
// Readers (select, export, train) use read_ledger; only ingest writes, through append_to_ledger,
// which rewrites the whole file under a temporary name and renames it into place.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/atomic_output.hpp"
#include "files/ledger/ledger_flags.hpp"
#include "files/ledger/ledger_objects.hpp"

namespace quarry::ingest {

inline constexpr const char* kLedgerFormat = "ledger/1";

// Label rows, column by column: the ledger's current labels and its history share them.
struct LabelColumns {
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> labels;
  std::vector<float> confidence;  // posterior of the label
  std::vector<std::int32_t> votes;
  std::vector<std::int32_t> round;  // the ingest round that set the label
  std::vector<std::string> source;  // the annotation file it came from
};

// Labels that a later ingest changed: the replaced values, and when they were replaced.
struct LabelHistory : LabelColumns {
  std::vector<std::int32_t> replaced_in_round;
};

struct IngestedFiles {
  // Where the file is: as given to ingest, or where quarry cycle moved it (rounds/NNNN/ingested/).
  std::vector<std::string> name;
  std::vector<std::string> sha256;
  std::vector<std::int32_t> round;
};

struct RawAnnotations {
  std::vector<std::string> annotators;  // names; `annotator` indexes this
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> annotator;
  std::vector<std::int32_t> label;
  std::vector<std::int32_t> round;
  std::vector<std::uint64_t> task;
};

// The label columns (ids, labels, confidence, votes, round, source) hold one row per labeled
// item, ascending by id.
struct Ledger : LabelColumns {
  std::vector<std::string> classes;  // empty for a ledger that holds nothing yet
  std::int32_t rounds = 0;           // ingests that changed the ledger so far

  LabelHistory history;
  std::vector<std::uint64_t> adjudicate;  // ascending
  LabelFlags flags;
  IngestedFiles files;
  RawAnnotations annotations;
  LedgerObjects objects;  // detection and keypoint pools only (objects.present)

  std::size_t size() const { return ids.size(); }
  std::optional<std::size_t> find(std::uint64_t id) const;  // row of `id`, binary search
  bool has_file(const std::string& sha256) const;
};

// Reads and validates a ledger. A path that does not exist is an empty ledger (the first round
// starts without one); anything else that is not a ledger is an InputError naming the file.
Ledger read_ledger(const std::filesystem::path& path);

// Writes `ledger` to a plain path (callers pass an AtomicOutput temporary).
void write_ledger(const std::filesystem::path& path, const Ledger& ledger);

// What one ingest adds.
struct ConsensusLabel {
  std::uint64_t id = 0;
  std::int32_t label = 0;
  float confidence = 0;
  std::int32_t votes = 0;
  std::string source;
};
struct Answer {
  std::uint64_t id = 0;
  std::string annotator;
  std::int32_t label = 0;
  std::uint64_t task = 0;  // the annotation tool's task id, 0: none
};
struct LedgerUpdate {
  std::vector<std::string> classes;       // the pool's
  std::vector<ConsensusLabel> labels;     // resolved items
  std::vector<std::uint64_t> unresolved;  // items for adjudication
  std::vector<Answer> answers;            // raw annotations behind them, all appended
  std::vector<std::string> file_names;    // the annotation files, with their digests
  std::vector<std::string> file_sha256;
  std::int32_t round = 0;  // 0: the ledger's last round + 1
  // Detection and keypoint pools: the objects behind `labels` and `answers` (whose labels are
  // kObjectsOnly); absent for classification.
  std::optional<ObjectUpdate> objects;
};
struct AppendSummary {
  std::size_t added = 0;       // items labeled for the first time
  std::size_t changed = 0;     // items whose label or objects changed (old ones kept in history)
  std::size_t confirmed = 0;   // items that got the label (and objects) they already had
  std::size_t adjudicate = 0;  // items on the adjudication list afterwards
  std::size_t flags_confirmed = 0;  // flagged labels the new answers gave again
  std::size_t flags_corrected = 0;  // flagged labels the new answers changed
  std::int32_t round = 0;
  bool written = false;  // false: every file was already ingested, the ledger is untouched
};

// Applies `update` in memory. An update all of whose files the ledger already records (by
// sha256) changes nothing (written = false): ingest drops recorded files before consensus.
AppendSummary apply_update(Ledger& ledger, const LedgerUpdate& update);

// The new ledger written and flushed under a temporary name beside the old one: committing
// `file` renames it into place. `file` is null when the update changes nothing.
struct PreparedLedger {
  AppendSummary summary;
  std::unique_ptr<AtomicOutput> file;
};

// apply_update on `ledger` (what read_ledger read from `path` under the ledger lock) and the new
// ledger's temporary file; the ledger file itself is untouched.
PreparedLedger prepare_ledger(const std::filesystem::path& path, Ledger ledger,
                              const LedgerUpdate& update);

// prepare_ledger, then commit: the ledger file is not touched when nothing changes or anything
// fails.
AppendSummary append_to_ledger(const std::filesystem::path& path, const LedgerUpdate& update);

}  // namespace quarry::ingest

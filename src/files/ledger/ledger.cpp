#include "files/ledger/ledger.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <span>
#include <unordered_map>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "files/ledger/columns.hpp"
#include "files/ledger/string_column.hpp"
#include "files/manifest/verify_input.hpp"
#include "h5/file.hpp"
#include "h5/heap_references.hpp"
#include "h5/input_guard.hpp"

namespace quarry::ingest {

namespace fs = std::filesystem;

std::optional<std::size_t> Ledger::find(std::uint64_t id) const {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) return std::nullopt;
  return static_cast<std::size_t>(it - ids.begin());
}

bool Ledger::has_file(const std::string& sha256) const {
  return std::find(files.sha256.begin(), files.sha256.end(), sha256) != files.sha256.end();
}

namespace {

void check_ascending(const h5::File& file, const std::string& name,
                     std::span<const std::uint64_t> ids) {
  for (std::size_t i = 1; i < ids.size(); ++i)
    if (ids[i] <= ids[i - 1])
      throw InputError(
          file.path().string(), fmt::format("{} row {}", name, i),
          fmt::format("id {} follows {}: ids must be unique and ascending", ids[i], ids[i - 1]));
}

// Reads the label columns under `prefix` ("" or "/history") and checks their lengths agree.
void read_label_columns(const h5::File& file, const std::string& prefix, LabelColumns& c) {
  c.ids = read_column<std::uint64_t>(file, prefix + "/ids");
  c.labels = read_column<std::int32_t>(file, prefix + "/labels");
  c.confidence = read_column<float>(file, prefix + "/confidence");
  c.votes = read_column<std::int32_t>(file, prefix + "/votes");
  c.round = read_column<std::int32_t>(file, prefix + "/round");
  c.source = read_string_column(file, prefix + "/source");
  const auto n = c.ids.size();
  check_length(file, prefix + "/labels", c.labels.size(), n);
  check_length(file, prefix + "/confidence", c.confidence.size(), n);
  check_length(file, prefix + "/votes", c.votes.size(), n);
  check_length(file, prefix + "/round", c.round.size(), n);
  check_length(file, prefix + "/source", c.source.size(), n);
}

void write_label_columns(h5::File& file, const std::string& prefix, const LabelColumns& c) {
  write_column(file, prefix + "/ids", c.ids);
  write_column(file, prefix + "/labels", c.labels);
  write_column(file, prefix + "/confidence", c.confidence);
  write_column(file, prefix + "/votes", c.votes);
  write_column(file, prefix + "/round", c.round);
  write_string_column(file, prefix + "/source", c.source);
}

RawAnnotations read_annotations(const h5::File& file) {
  RawAnnotations a;
  a.ids = read_column<std::uint64_t>(file, "/annotations/ids");
  a.annotator = read_column<std::int32_t>(file, "/annotations/annotator");
  a.label = read_column<std::int32_t>(file, "/annotations/label");
  a.round = read_column<std::int32_t>(file, "/annotations/round");
  a.task = file.exists("/annotations/task") ? read_column<std::uint64_t>(file, "/annotations/task")
                                            : std::vector<std::uint64_t>(a.ids.size(), 0);
  h5::Handle group(h5::check_in(file.id(), H5Gopen2(file.id(), "/annotations", H5P_DEFAULT),
                                "opening /annotations"));
  a.annotators = h5::read_strings_attribute(group.id(), "annotators");
  const auto n = a.ids.size();
  check_length(file, "/annotations/annotator", a.annotator.size(), n);
  check_length(file, "/annotations/label", a.label.size(), n);
  check_length(file, "/annotations/round", a.round.size(), n);
  check_length(file, "/annotations/task", a.task.size(), n);
  for (std::size_t i = 0; i < n; ++i)
    if (a.annotator[i] < 0 || static_cast<std::size_t>(a.annotator[i]) >= a.annotators.size())
      throw InputError(file.path().string(), fmt::format("/annotations/annotator row {}", i),
                       fmt::format("annotator index {} is outside the {} annotators",
                                   a.annotator[i], a.annotators.size()));
  return a;
}

}  // namespace

namespace {
Ledger read_ledger_file(const fs::path& path) {
  Ledger ledger;
  const std::string name = path.string();
  auto file = h5::File::open_read_only(path);
  const hid_t root = file.id();
  if (!h5::has_attribute(root, "quarry_format") ||
      h5::read_string_attribute(root, "quarry_format") != kLedgerFormat)
    throw InputError(name, "attribute quarry_format",
                     fmt::format("is not '{}': not a quarry label ledger", kLedgerFormat),
                     "ledgers are written by 'quarry ingest'; pass the workspace's labels.h5");
  ledger.classes = h5::read_strings_attribute(root, "classes");
  ledger.rounds = h5::read_attribute<std::int32_t>(root, "rounds");
  read_label_columns(file, "", ledger);
  const auto n = ledger.ids.size();
  check_ascending(file, "/ids", ledger.ids);
  // A ledger with objects labels its items through them (kObjectsOnly).
  const bool objects = file.exists("/objects");
  for (std::size_t i = 0; i < n; ++i)
    if (objects ? ledger.labels[i] != kObjectsOnly
                : (ledger.labels[i] < 0 ||
                   static_cast<std::size_t>(ledger.labels[i]) >= ledger.classes.size()))
      throw InputError(name, fmt::format("/labels row {} (id {})", i, ledger.ids[i]),
                       fmt::format("label {} is outside the {} classes", ledger.labels[i],
                                   ledger.classes.size()));
  read_label_columns(file, "/history", ledger.history);
  ledger.history.replaced_in_round = read_column<std::int32_t>(file, "/history/replaced_in_round");
  check_length(file, "/history/replaced_in_round", ledger.history.replaced_in_round.size(),
               ledger.history.ids.size());
  ledger.adjudicate = read_column<std::uint64_t>(file, "/adjudicate/ids");
  check_ascending(file, "/adjudicate/ids", ledger.adjudicate);
  ledger.flags = read_ledger_flags(file, ledger.classes.size());
  ledger.files.name = read_string_column(file, "/files/name");
  ledger.files.sha256 = read_string_column(file, "/files/sha256");
  ledger.files.round = read_column<std::int32_t>(file, "/files/round");
  check_length(file, "/files/sha256", ledger.files.sha256.size(), ledger.files.name.size());
  check_length(file, "/files/round", ledger.files.round.size(), ledger.files.name.size());
  ledger.annotations = read_annotations(file);
  ledger.objects =
      read_ledger_objects(file, n, ledger.annotations.ids.size(), ledger.classes.size());
  return ledger;
}
}  // namespace

Ledger read_ledger(const fs::path& path) {
  if (!fs::exists(path)) return {};
  verify_against_manifest(path);
  h5::check_heap_collections(path);  // earlier ledgers' strings live in the global heap
  h5::probe_in_child(path, [&] { read_ledger_file(path); });
  return h5::read_as_input(path, [&] { return read_ledger_file(path); });
}

void write_ledger(const fs::path& path, const Ledger& ledger) {
  auto file = h5::File::create(path);
  const hid_t root = file.id();
  // Fixed-length strings keep the ledger out of HDF5's global heap (see string_column.hpp).
  const auto fixed = h5::StringStorage::fixed;
  h5::write_attribute(root, "quarry_format", std::string(kLedgerFormat), fixed);
  h5::write_attribute(root, "classes", ledger.classes, fixed);
  h5::write_attribute(root, "rounds", ledger.rounds);
  write_label_columns(file, "", ledger);
  file.create_group("/history");
  write_label_columns(file, "/history", ledger.history);
  write_column(file, "/history/replaced_in_round", ledger.history.replaced_in_round);

  file.create_group("/adjudicate");
  write_column(file, "/adjudicate/ids", ledger.adjudicate);

  write_ledger_flags(file, ledger.flags);

  file.create_group("/files");
  write_string_column(file, "/files/name", ledger.files.name);
  write_string_column(file, "/files/sha256", ledger.files.sha256);
  write_column(file, "/files/round", ledger.files.round);

  file.create_group("/annotations");
  const auto& a = ledger.annotations;
  write_column(file, "/annotations/ids", a.ids);
  write_column(file, "/annotations/annotator", a.annotator);
  write_column(file, "/annotations/label", a.label);
  write_column(file, "/annotations/round", a.round);
  write_column(file, "/annotations/task", a.task);
  {
    h5::Handle group(
        h5::check_in(root, H5Gopen2(root, "/annotations", H5P_DEFAULT), "opening /annotations"));
    h5::write_attribute(group.id(), "annotators", a.annotators, fixed);
  }
  write_ledger_objects(file, ledger.objects);
  file.flush();
  file.close();
}

namespace {

void push_row(LabelColumns& to, std::uint64_t id, std::int32_t label, float confidence,
              std::int32_t votes, std::int32_t round, const std::string& source) {
  to.ids.push_back(id);
  to.labels.push_back(label);
  to.confidence.push_back(confidence);
  to.votes.push_back(votes);
  to.round.push_back(round);
  to.source.push_back(source);
}

// The label rows after merging: old rows not touched plus the update's, ascending by id.
void merge_labels(Ledger& ledger, const LedgerUpdate& update, std::int32_t round,
                  AppendSummary& summary) {
  std::vector<const ConsensusLabel*> fresh;
  for (const auto& label : update.labels) {
    if (auto row = ledger.find(label.id)) {
      const auto r = *row;
      if (ledger.labels[r] == label.label) {
        ++summary.confirmed;
      } else {
        push_row(ledger.history, ledger.ids[r], ledger.labels[r], ledger.confidence[r],
                 ledger.votes[r], ledger.round[r], ledger.source[r]);
        ledger.history.replaced_in_round.push_back(round);
        ++summary.changed;
      }
      ledger.labels[r] = label.label;
      ledger.confidence[r] = label.confidence;
      ledger.votes[r] = label.votes;
      ledger.round[r] = round;
      ledger.source[r] = label.source;
    } else {
      fresh.push_back(&label);
    }
  }
  summary.added = fresh.size();
  if (fresh.empty()) return;
  // Append the new rows, then restore id order with one permutation.
  for (const auto* label : fresh)
    push_row(ledger, label->id, label->label, label->confidence, label->votes, round,
             label->source);
  std::vector<std::size_t> order(ledger.ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return ledger.ids[a] < ledger.ids[b]; });
  auto permute = [&order](auto& column) {
    std::remove_reference_t<decltype(column)> sorted;
    sorted.reserve(column.size());
    for (auto i : order) sorted.push_back(std::move(column[i]));
    column = std::move(sorted);
  };
  permute(ledger.ids);
  permute(ledger.labels);
  permute(ledger.confidence);
  permute(ledger.votes);
  permute(ledger.round);
  permute(ledger.source);
  for (std::size_t i = 1; i < ledger.ids.size(); ++i)
    if (ledger.ids[i] == ledger.ids[i - 1])
      throw Error(fmt::format("ledger update labels item {} twice", ledger.ids[i]));
}

// Appends the answers, every one: an annotator's repeated answers on one item are distinct
// answers, and each counts. The caller (ingest's build_votes) leaves out the answers the ledger
// already holds, which a cumulative export (Label Studio, CVAT) repeats round after round.
void append_answers(RawAnnotations& raw, const std::vector<Answer>& answers, std::int32_t round) {
  std::unordered_map<std::string, std::int32_t> index;
  for (std::size_t i = 0; i < raw.annotators.size(); ++i)
    index.emplace(raw.annotators[i], static_cast<std::int32_t>(i));
  for (const auto& answer : answers) {
    auto [it, inserted] =
        index.emplace(answer.annotator, static_cast<std::int32_t>(raw.annotators.size()));
    if (inserted) raw.annotators.push_back(answer.annotator);
    raw.ids.push_back(answer.id);
    raw.annotator.push_back(it->second);
    raw.label.push_back(answer.label);
    raw.round.push_back(round);
    raw.task.push_back(answer.task);
  }
}

// merge_labels, and for a ledger with objects the objects that go with the labels.
void merge_labels_and_objects(Ledger& ledger, const LedgerUpdate& update, std::int32_t round,
                              AppendSummary& summary) {
  if (!update.objects) {
    merge_labels(ledger, update, round, summary);
    return;
  }
  const std::vector<std::uint64_t> old_ids = ledger.ids;
  const std::vector<std::int32_t> old_rounds = ledger.round;
  merge_labels(ledger, update, round, summary);
  std::vector<std::uint64_t> updated;
  for (const auto& label : update.labels) updated.push_back(label.id);
  const std::size_t changed = merge_ledger_objects(ledger.objects, old_ids, old_rounds, ledger.ids,
                                                   updated, *update.objects, round);
  summary.changed += changed;
  summary.confirmed -= changed;
}

void check_classes(const std::string& name, const Ledger& ledger, const LedgerUpdate& update) {
  if (!ledger.classes.empty() && ledger.classes != update.classes)
    throw InputError(name, "attribute classes",
                     fmt::format("holds {} classes ({}) but the pool has {} ({})",
                                 ledger.classes.size(), fmt::join(ledger.classes, ","),
                                 update.classes.size(), fmt::join(update.classes, ",")),
                     "use the ledger that belongs to this pool");
  if (!ledger.ids.empty() && ledger.objects.present != update.objects.has_value())
    throw InputError(name, "/objects",
                     ledger.objects.present
                         ? "the ledger holds objects but the pool's task is classification"
                         : "the ledger holds classification labels but the pool has objects",
                     "use the ledger that belongs to this pool");
}

}  // namespace

AppendSummary apply_update(Ledger& ledger, const LedgerUpdate& update) {
  AppendSummary summary;
  if (update.file_names.size() != update.file_sha256.size())
    throw Error("ledger update: file names and digests differ in length");
  bool any_new_file = false;
  for (const auto& sha : update.file_sha256) any_new_file |= !ledger.has_file(sha);
  if (!any_new_file) {
    summary.round = ledger.rounds;
    summary.adjudicate = ledger.adjudicate.size();
    return summary;
  }
  check_classes("ledger", ledger, update);
  if (ledger.classes.empty()) ledger.classes = update.classes;
  const std::int32_t round = update.round > 0 ? update.round : ledger.rounds + 1;
  ledger.rounds = std::max(ledger.rounds, round);
  summary.round = round;

  for (const auto& label : update.labels)
    if (const auto row = ledger.find(label.id);
        row && resolve_flag(ledger.flags, label.id, label.label, round))
      ++(ledger.labels[*row] == label.label ? summary.flags_confirmed : summary.flags_corrected);
  merge_labels_and_objects(ledger, update, round, summary);

  // Unresolved items join the list; items that now have a label leave it.
  std::set<std::uint64_t> adjudicate(ledger.adjudicate.begin(), ledger.adjudicate.end());
  adjudicate.insert(update.unresolved.begin(), update.unresolved.end());
  for (const auto& label : update.labels) adjudicate.erase(label.id);
  ledger.adjudicate.assign(adjudicate.begin(), adjudicate.end());
  summary.adjudicate = ledger.adjudicate.size();

  for (std::size_t i = 0; i < update.file_sha256.size(); ++i) {
    if (ledger.has_file(update.file_sha256[i])) continue;
    ledger.files.name.push_back(update.file_names[i]);
    ledger.files.sha256.push_back(update.file_sha256[i]);
    ledger.files.round.push_back(round);
  }
  append_answers(ledger.annotations, update.answers, round);
  summary.written = true;
  return summary;
}

PreparedLedger prepare_ledger(const fs::path& path, Ledger ledger, const LedgerUpdate& update) {
  check_classes(path.string(), ledger, update);
  PreparedLedger prepared;
  prepared.summary = apply_update(ledger, update);
  if (!prepared.summary.written) return prepared;
  prepared.file = std::make_unique<AtomicOutput>(path, Overwrite::replace);
  write_ledger(prepared.file->temp_path(), ledger);
  prepared.file->flush();
  return prepared;
}

AppendSummary append_to_ledger(const fs::path& path, const LedgerUpdate& update) {
  PreparedLedger prepared = prepare_ledger(path, read_ledger(path), update);
  if (prepared.file) prepared.file->commit();
  return prepared.summary;
}

}  // namespace quarry::ingest

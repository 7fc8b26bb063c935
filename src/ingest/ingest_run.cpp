#include "ingest/ingest_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/symlinks.hpp"
#include "core/text.hpp"
#include "files/ledger/ledger_lock.hpp"
#include "files/manifest/manifest.hpp"
#include "ingest/build_votes.hpp"
#include "ingest/check_answers.hpp"
#include "ingest/consensus/agreement.hpp"
#include "ingest/consensus/majority.hpp"
#include "ingest/gold.hpp"
#include "ingest/ingest_manifest.hpp"
#include "ingest/object_ingest.hpp"
#include "ingest/pool_index.hpp"
#include "ingest/rejects_file.hpp"

#include <spdlog/spdlog.h>

namespace quarry::ingest {

namespace fs = std::filesystem;

ConsensusMethod parse_consensus_method(const std::string& name) {
  if (name == "majority") return ConsensusMethod::majority;
  if (name == "dawid-skene") return ConsensusMethod::dawid_skene;
  throw UsageError("unknown consensus method '" + name + "'", "use majority or dawid-skene");
}

std::string consensus_method_name(ConsensusMethod method) {
  return method == ConsensusMethod::majority ? "majority" : "dawid-skene";
}

namespace {

void check_request(const IngestRequest& request) {
  if (request.annotations.empty())
    throw UsageError("no annotation files given", "pass --annotations FILE...");
  if (!(request.min_confidence >= 0 && request.min_confidence <= 1))
    throw UsageError(fmt::format("--min-confidence {} is outside [0, 1]", request.min_confidence));
  if (!(request.object_iou > 0 && request.object_iou <= 1))
    throw UsageError(fmt::format("--iou-threshold {} is outside (0, 1]", request.object_iou));
  if (!(request.min_support > 0 && request.min_support <= 1))
    throw UsageError(fmt::format("--min-support {} is outside (0, 1]", request.min_support));
  const auto& names = request.annotators;
  if (!names.empty() && names.size() != 1 && names.size() != request.annotations.size())
    throw UsageError(fmt::format("{} --annotator names for {} annotation files", names.size(),
                                 request.annotations.size()),
                     "give one name for all files or one per file, in the same order");
  if (!request.recorded_names.empty() &&
      request.recorded_names.size() != request.annotations.size())
    throw UsageError(fmt::format("{} recorded names for {} annotation files",
                                 request.recorded_names.size(), request.annotations.size()));
  const fs::path folder =
      request.ledger.parent_path().empty() ? fs::path(".") : request.ledger.parent_path();
  if (!fs::is_directory(folder))
    throw UsageError("the ledger's folder " + folder.string() + " does not exist",
                     "create it first (mkdir -p " + folder.string() + ")");
  for (const auto& file : request.annotations)
    if (!fs::is_regular_file(file))
      throw InputError(file.string(), "", "does not exist or is not a file",
                       "check the paths given to --annotations");
  for (const auto& file : request.prelabels)
    if (!fs::is_regular_file(file))
      throw InputError(file.string(), "", "does not exist or is not a file",
                       "check the paths given to --prelabels");
  const auto& map = request.annotator_map;
  if (!map.empty() && !fs::is_regular_file(map))
    throw InputError(map.string(), "", "does not exist or is not a file",
                     "check the path given to --annotator-map (workspace: annotator-map)");
}

std::string annotator_for(const IngestRequest& request, std::size_t file) {
  if (request.annotators.empty()) return {};
  return request.annotators.size() == 1 ? request.annotators[0] : request.annotators[file];
}

// What consensus decided for every item of the batch, plus the model's diagnostics.
struct Decision {
  Consensus consensus;
  std::optional<DawidSkeneResult> model;
};

Decision decide(const IngestRequest& request, const Votes& votes) {
  Decision decision;
  if (request.consensus == ConsensusMethod::majority) {
    decision.consensus = majority_vote(votes);
  } else {
    decision.model = dawid_skene(votes, request.dawid_skene);
    decision.consensus = decision.model->consensus;
  }
  return decision;
}

std::vector<AnnotatorRow> annotator_rows(const BatchVotes& batch, const Decision& decision) {
  const auto reliability = annotator_reliability(batch.votes, decision.consensus);
  std::vector<AnnotatorRow> rows;
  for (std::size_t a = 0; a < batch.annotators.size(); ++a) {
    AnnotatorRow row;
    row.name = batch.annotators[a];
    row.answers = reliability[a].answers;
    row.gold_accuracy = reliability[a].gold_accuracy();
    row.consensus_accuracy = reliability[a].consensus_accuracy();
    if (decision.model)
      row.estimated_accuracy = decision.model->estimated_accuracy(static_cast<std::int32_t>(a));
    rows.push_back(row);
  }
  return rows;
}

// Registers the annotation files the ledger does not record yet (by sha256; a file given twice
// counts once) and returns their indexes; the others are reported as already ingested.
std::vector<std::size_t> register_new_files(const IngestRequest& request, const Ledger& ledger,
                                            LedgerUpdate& update, IngestReport& report) {
  std::vector<std::size_t> new_files;
  for (std::size_t f = 0; f < request.annotations.size(); ++f) {
    const auto& file = request.annotations[f];
    const std::string sha = sha256_file(file);
    const auto& taken = update.file_sha256;
    if (ledger.has_file(sha) || std::find(taken.begin(), taken.end(), sha) != taken.end()) {
      report.already_ingested.push_back(file.string());
      continue;
    }
    const auto& name = request.recorded_names.empty() ? file : request.recorded_names[f];
    update.file_names.push_back(escape_for_display(fs::absolute(name).lexically_normal().string()));
    update.file_sha256.push_back(sha);
    new_files.push_back(f);
  }
  return new_files;
}

// Reads and checks the new files; bad records end the ingest, or with --skip-bad are collected.
void read_new_files(const IngestRequest& request, const std::vector<std::size_t>& new_files,
                    const AnnotatorMap& users, AnswerChecker& checker,
                    std::vector<RejectedRecord>& rejected, IngestReport& report) {
  for (auto f : new_files) {
    auto sink = read_annotations(request.annotations[f], request.format,
                                 {request.skip_bad, annotator_for(request, f), &users},
                                 [&checker](RecordSink& batch) { checker.check(batch); });
    checker.check(sink);
    rejected.insert(rejected.end(), sink.rejected().begin(), sink.rejected().end());
    ++report.files_read;
  }
  report.rejected = rejected.size();
  report.answers = checker.answers().size();
  if (checker.answers().empty())
    throw InputError(request.annotations[new_files.front()].string(), "",
                     rejected.empty() ? "holds no answers (no completed annotations)"
                                      : "holds no answer that passed the checks",
                     "export the annotations after people have labeled items");
}

// The object path's read_new_files: each new file's answers with their objects.
objects::ObjectAnswers read_new_object_files(const IngestRequest& request,
                                             const std::vector<std::size_t>& new_files,
                                             const AnnotatorMap& users,
                                             const objects::ObjectPool& pool,
                                             std::vector<RejectedRecord>& rejected,
                                             IngestReport& report) {
  objects::ObjectAnswerChecker checker(pool);
  for (auto f : new_files) {
    ReaderOptions options{request.skip_bad, annotator_for(request, f), &users};
    options.objects = true;
    auto sink = read_annotations(request.annotations[f], request.format, options,
                                 [&checker](RecordSink& batch) { checker.check(batch); });
    checker.check(sink);
    rejected.insert(rejected.end(), sink.rejected().begin(), sink.rejected().end());
    ++report.files_read;
  }
  report.rejected = rejected.size();
  report.answers = checker.answers();
  if (checker.answers() == 0)
    throw InputError(request.annotations[new_files.front()].string(), "",
                     rejected.empty() ? "holds no answers (no completed annotations)"
                                      : "holds no answer that passed the checks",
                     "export the annotations after people have labeled items");
  return checker.take();
}

void measure_agreement(const BatchVotes& batch, const Decision& decision, IngestReport& report) {
  if (decision.model) {
    report.iterations = decision.model->iterations;
    report.converged = decision.model->converged;
    report.log_likelihood = decision.model->log_likelihood;
    report.class_priors = decision.model->priors;
  }
  const auto counts = agreement_counts(batch.votes);
  report.fleiss_kappa = fleiss_kappa(counts, batch.votes.classes);
  report.krippendorff_alpha = krippendorff_alpha_nominal(counts, batch.votes.classes);
  report.annotators = annotator_rows(batch, decision);
}

// Confident items become labels; the others go to adjudication.
void split_by_confidence(const BatchVotes& batch, const Consensus& consensus, double threshold,
                         LedgerUpdate& update, IngestReport& report) {
  for (std::size_t i = 0; i < batch.item_ids.size(); ++i) {
    if (consensus.confidence[i] >= threshold) {
      update.labels.push_back({batch.item_ids[i], consensus.label[i],
                               static_cast<float>(consensus.confidence[i]), consensus.votes[i],
                               batch.item_sources[i]});
      ++report.resolved;
    } else {
      update.unresolved.push_back(batch.item_ids[i]);
      ++report.unresolved;
    }
  }
}

// Adds "<phase> seconds" to the report each time a phase ends.
class PhaseClock {
 public:
  explicit PhaseClock(IngestReport& report) : report_(report) {}
  void end(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    report_.timings_s.emplace_back(phase, std::chrono::duration<double>(now - start_).count());
    start_ = now;
  }

 private:
  IngestReport& report_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Writes the new ledger, the rejects file and the manifest under temporary names, then renames
// them into place, ledger first. Everything that can fail on content (encoding, a full disk, a
// flush) fails before the ledger is committed; once it is, the command succeeds: a later rename
// that fails is reported as a warning, and the same ingest run again completes it.
void publish(const IngestRequest& request, Ledger read, const LedgerUpdate& update,
             const std::vector<RejectedRecord>& rejected, IngestReport& report) {
  PreparedLedger ledger = prepare_ledger(request.ledger, std::move(read), update);
  report.ledger = ledger.summary;
  std::unique_ptr<AtomicOutput> rejects;
  if (!rejected.empty()) {
    rejects = prepare_rejects_file(request.ledger, report.ledger.round, rejected);
    report.rejects_file = rejects->final_path();
  }
  auto manifest = prepare_ingest_manifest(request, report, ledger.file->temp_path(), rejects.get());

  retract_manifest(request.ledger);
  ledger.file->commit();
  try {
    if (rejects) rejects->commit();
    manifest->commit();
  } catch (const Error& error) {
    spdlog::warn("the ledger {} is updated, but {}", request.ledger.string(), describe(error));
    spdlog::warn("run the same ingest again to write the manifest; it changes nothing else");
  }
}

// A no-op ingest after one that was stopped between committing the ledger and its manifest:
// the ledger is whole (it was renamed into place), so its manifest is written now.
void restore_missing_manifest(const IngestRequest& request, const IngestReport& report) {
  const auto manifest = read_complete_manifest(request.ledger);
  const auto recorded = nlohmann::json::json_pointer("/outputs/ledger/sha256");
  if (manifest.contains(recorded) && manifest[recorded] == sha256_file(request.ledger)) return;
  spdlog::info("ingest: {} has no manifest that matches it; writing one", request.ledger.string());
  prepare_ingest_manifest(request, report, request.ledger, nullptr)->commit();
}

// Sets the update's classes and round and returns the files not ingested yet. None: the ingest
// is a no-op (ingesting the same export twice), the report says so and a missing manifest is
// restored.
std::vector<std::size_t> begin_update(const IngestRequest& request, const Ledger& ledger,
                                      const std::vector<std::string>& classes, LedgerUpdate& update,
                                      IngestReport& report) {
  update.classes = classes;
  update.round = request.round;
  auto new_files = register_new_files(request, ledger, update, report);
  if (new_files.empty()) {
    report.ledger.round = ledger.rounds;
    report.ledger.adjudicate = ledger.adjudicate.size();
    restore_missing_manifest(request, report);
  }
  return new_files;
}

// Detection and keypoint pools: the same steps as run_ingest, with object consensus.
IngestReport run_object_ingest(const IngestRequest& request) {
  IngestReport report;
  report.consensus = "objects";
  report.min_confidence = request.min_confidence;
  const auto pool = objects::ObjectPool::open(request.pool);
  const auto prelabels = read_object_prelabels(request.prelabels, pool);
  const AnnotatorMap users =
      request.annotator_map.empty() ? AnnotatorMap{} : read_annotator_map(request.annotator_map);
  LedgerLock lock(request.ledger);
  Ledger ledger = read_ledger(request.ledger);  // read once, under the lock
  LedgerUpdate update;
  const auto new_files = begin_update(request, ledger, pool.classes(), update, report);
  if (new_files.empty()) return report;
  PhaseClock clock(report);
  std::vector<RejectedRecord> rejected;
  const auto answers = read_new_object_files(request, new_files, users, pool, rejected, report);
  clock.end("read");
  decide_objects(request, pool, answers, prelabels, update, report);
  clock.end("consensus");
  publish(request, std::move(ledger), update, rejected, report);
  clock.end("ledger");
  return report;
}

}  // namespace

IngestReport run_ingest(const IngestRequest& given) {
  check_request(given);
  IngestRequest request = given;
  // The lock, the ledger and its manifest belong to the real file behind a symbolic link.
  request.ledger = resolve_symlinks(given.ledger);
  IngestReport report;
  report.consensus = consensus_method_name(request.consensus);
  report.min_confidence = request.min_confidence;

  if (objects::pool_has_object_task(request.pool)) return run_object_ingest(request);
  const PoolIndex pool = PoolIndex::open(request.pool);
  const auto gold = read_gold_files(request.gold, pool);
  const auto prelabels = read_prelabel_files(request.prelabels, pool);
  const AnnotatorMap users =
      request.annotator_map.empty() ? AnnotatorMap{} : read_annotator_map(request.annotator_map);
  LedgerLock lock(request.ledger);
  Ledger ledger = read_ledger(request.ledger);  // read once, under the lock
  if (!ledger.classes.empty() && ledger.classes != pool.classes())
    throw InputError(request.ledger.string(), "attribute classes",
                     fmt::format("names {} classes, the pool {} has {}", ledger.classes.size(),
                                 request.pool.string(), pool.classes().size()),
                     "use the ledger that belongs to this pool");

  LedgerUpdate update;
  const auto new_files = begin_update(request, ledger, pool.classes(), update, report);
  if (new_files.empty()) return report;

  PhaseClock clock(report);
  AnswerChecker checker(pool);
  std::vector<RejectedRecord> rejected;
  read_new_files(request, new_files, users, checker, rejected, report);
  clock.end("read");

  const BatchVotes batch =
      build_votes(checker, ledger, static_cast<std::int32_t>(pool.classes().size()), gold);
  report.earlier_answers = batch.earlier_answers;
  report.items = batch.item_ids.size();
  const Decision decision = decide(request, batch.votes);
  measure_agreement(batch, decision, report);
  split_by_confidence(batch, decision.consensus, request.min_confidence, update, report);
  update.answers.reserve(batch.new_answers.size());
  for (auto i : batch.new_answers) update.answers.push_back(checker.ledger_answer(i));
  report.repeated_answers = batch.repeated_answers;
  if (!request.prelabels.empty())
    report.prelabel_acceptance = measure_acceptance(update.answers, prelabels, pool.classes());
  clock.end("consensus");

  publish(request, std::move(ledger), update, rejected, report);
  clock.end("ledger");
  return report;
}

}  // namespace quarry::ingest

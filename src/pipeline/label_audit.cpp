#include "pipeline/label_audit.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "audit/confident.hpp"
#include "audit/folds.hpp"
#include "comm/session.hpp"
#include "core/float16.hpp"
#include "files/ledger/ledger.hpp"
#include "files/manifest/partial_run.hpp"
#include "files/pool/subset.hpp"
#include "files/scores/scores_file.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {

// The ledger's labels without fold `fold`: what that fold's model trains on.
ingest::Ledger without_fold(const ingest::Ledger& ledger, const std::vector<int>& folds, int fold) {
  ingest::Ledger part;
  part.classes = ledger.classes;
  part.rounds = ledger.rounds;
  for (std::size_t i = 0; i < ledger.size(); ++i) {
    if (folds[i] == fold) continue;
    part.ids.push_back(ledger.ids[i]);
    part.labels.push_back(ledger.labels[i]);
    part.confidence.push_back(ledger.confidence[i]);
    part.votes.push_back(ledger.votes[i]);
    part.round.push_back(ledger.round[i]);
    part.source.push_back(ledger.source[i]);
  }
  return part;
}

// Rank 0: fold `fold`'s rows of `probs` [ledger items, classes] from the fold model's scores.
void take_fold_probs(const fs::path& scores_path, const ingest::Ledger& ledger,
                     const std::vector<int>& folds, int fold, std::vector<float>& probs) {
  const auto scores = score::ScoresFile::open(scores_path);
  const auto ids = scores.ids().read_all<std::uint64_t>();
  const auto half = scores.probs().read_all<Float16>();
  const std::size_t classes = scores.meta().classes;
  std::unordered_map<std::uint64_t, std::size_t> row;
  for (std::size_t r = 0; r < ids.size(); ++r) row.emplace(ids[r], r);
  for (std::size_t i = 0; i < ledger.size(); ++i) {
    if (folds[i] != fold) continue;
    const auto r = row.at(ledger.ids[i]);
    for (std::size_t c = 0; c < classes; ++c)
      probs[i * classes + c] = to_float32(half[r * classes + c]);
  }
}

// The audit folder's files of fold `fold`: labels.h5 (the other folds' labels), pool.h5 (its own
// items), model.pt, scores.h5.
fs::path fold_file(const fs::path& dir, int fold, const char* name) {
  return dir / fmt::format("fold-{}-{}", fold, name);
}

// Rank 0: the ledger's ids in fold `fold`: what that fold's model predicts.
std::vector<std::uint64_t> fold_ids(const ingest::Ledger& ledger, const std::vector<int>& folds,
                                    int fold) {
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < ledger.size(); ++i)
    if (folds[i] == fold) ids.push_back(ledger.ids[i]);
  return ids;
}

// Collective: trains fold `fold`'s fresh model and scores its held-out items with it (rank 0
// wrote them to its pool.h5: scoring the whole pool would cost a pass over it per fold).
fs::path train_and_score_fold(const comm::Communicator& world, const RoundSettings& settings,
                              int round, const fs::path& dir, int fold, std::uint64_t labels) {
  auto fold_settings = settings;
  fold_settings.eval_pool.clear();  // the audit needs the probabilities only
  RoundPaths paths;
  paths.ledger = fold_file(dir, fold, "labels.h5");
  paths.model_in = dir / "init.pt";
  paths.fresh_model = true;
  paths.model = fold_file(dir, fold, "model.pt");
  paths.scores = fold_file(dir, fold, "scores.h5");
  train::train_model(world, train_options(fold_settings, round, paths, labels));
  auto scoring = score_options(fold_settings, paths);
  scoring.pool = fold_file(dir, fold, "pool.h5");
  score::score_pool(world, scoring);
  return paths.scores;
}

}  // namespace

LabelAuditResult audit_labels(const comm::Communicator& world, const RoundSettings& settings,
                              int round, const fs::path& ledger_path, const fs::path& dir) {
  if (settings.task != pool::Task::classify)
    throw UsageError(fmt::format(
        "audit.folds: the label audit checks classes, not the objects of a {} pool (set it to 0)",
        pool::task_name(settings.task)));
  ingest::Ledger ledger;
  std::vector<int> folds;
  comm::on_root_for_all(world, [&] {
    fs::remove_all(dir);
    fs::create_directories(dir);
    ledger = ingest::read_ledger(ledger_path);
    folds = audit::assign_folds(ledger.ids, settings.audit_folds, settings.seed);
    model::write_builtin_model(fresh_model_spec(settings), dir / "init.pt", Overwrite::replace);
  });
  LabelAuditResult result;
  result.audited = world.broadcast<std::uint64_t>(ledger.size(), 0);
  const std::size_t classes = world.broadcast<std::uint64_t>(ledger.classes.size(), 0);
  if (result.audited < std::uint64_t(settings.audit_folds)) {  // too few labels to hold any out
    comm::on_root_for_all(world, [&] { fs::remove_all(dir); });
    return result;
  }
  std::vector<float> probs(world.is_root() ? result.audited * classes : 0);
  for (int fold = 0; fold < settings.audit_folds; ++fold) {
    std::uint64_t labels = 0;
    comm::on_root_for_all(world, [&] {
      const auto part = without_fold(ledger, folds, fold);
      labels = part.size();
      ingest::write_ledger(fold_file(dir, fold, "labels.h5"), part);
      pool::write_pool_subset(settings.pool, fold_ids(ledger, folds, fold),
                              fold_file(dir, fold, "pool.h5"), Overwrite::replace);
    });
    labels = world.broadcast(labels, 0);
    const auto scores = train_and_score_fold(world, settings, round, dir, fold, labels);
    comm::on_root_for_all(world, [&] { take_fold_probs(scores, ledger, folds, fold, probs); });
  }
  comm::on_root_for_all(world, [&] {
    const auto audit = audit::confident_flags(probs, ledger.labels, classes);
    result.classes = ledger.classes;
    for (std::size_t k = 0; k < audit.flagged.size(); ++k) {
      const auto i = audit.flagged[k];
      result.flagged.push_back(
          {ledger.ids[i], ledger.labels[i], audit.suggested[k], audit.suggested_prob[k]});
    }
    fs::remove_all(dir);
  });
  return result;
}

void write_flags_csv(const fs::path& path, const LabelAuditResult& result) {
  const auto& classes = result.classes;
  std::string csv = "id,given,suggested,probability\n";
  for (const auto& flag : result.flagged)
    csv += fmt::format("{},{},{},{:.4f}\n", flag.id, classes.at(std::size_t(flag.given)),
                       classes.at(std::size_t(flag.suggested)), flag.probability);
  write_file_atomically(path, csv);
}

}  // namespace quarry::pipeline

#pragma once
// Turns records into answers the ledger can hold: the id must exist in the pool and the label
// must name one of its classes. Bad records are rejected through their file's RecordSink.
// An annotator may answer one item more than once (Dawid and Skene's observer 1 rated every
// patient three times; a flagged item goes back to the same annotator): every answer is kept,
// in file order; build_votes decides which repeat answers the ledger already holds.
//
// Answers are kept compact (ids and indexes, 32 bytes): a file of a million answers is checked
// in batches as it is read (RecordSink::hand_over_every), and what stays is small.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "ingest/pool_index.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

struct CheckedAnswer {
  std::uint64_t id = 0;
  std::int32_t annotator = 0;  // index into AnswerChecker::annotators()
  std::int32_t label = 0;
  std::int32_t file = 0;   // index into AnswerChecker::files()
  std::uint64_t task = 0;  // AnnotationRecord::task
};

class AnswerChecker {
 public:
  explicit AnswerChecker(const PoolIndex& pool) : pool_(pool) {}
  // Checks the records `sink` holds and keeps the good ones. Called once per batch of a file;
  // batches of one file come one after another.
  void check(RecordSink& sink);
  const std::vector<CheckedAnswer>& answers() const { return answers_; }
  const std::vector<std::string>& files() const { return files_; }
  const std::vector<std::string>& annotators() const { return annotators_; }
  // Answer i as the ledger stores it.
  Answer ledger_answer(std::size_t i) const;

 private:
  std::int32_t annotator_index(const std::string& name);

  const PoolIndex& pool_;
  std::vector<CheckedAnswer> answers_;
  std::vector<std::string> files_;
  std::vector<std::string> annotators_;
  std::unordered_map<std::string, std::int32_t> annotator_index_;
};

}  // namespace quarry::ingest

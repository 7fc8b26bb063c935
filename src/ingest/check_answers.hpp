#pragma once
// Turns records into answers the ledger can hold: the id must exist in the pool and the label
// must name one of its classes. Bad records are rejected through their file's RecordSink.
// An annotator may answer one item more than once (Dawid and Skene's observer 1 rated every
// patient three times; a flagged item goes back to the same annotator): every answer is kept,
// in file order; build_votes decides which repeat answers the ledger already holds.
#include <cstdint>
#include <string>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "ingest/pool_index.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

struct CheckedAnswer {
  Answer answer;
  std::int32_t file = 0;  // index into AnswerChecker::files()
  std::string where;      // in that file
};

class AnswerChecker {
 public:
  explicit AnswerChecker(const PoolIndex& pool) : pool_(pool) {}
  // Checks every record of `sink` and keeps the good ones.
  void check(RecordSink& sink);
  const std::vector<CheckedAnswer>& answers() const { return answers_; }
  const std::vector<std::string>& files() const { return files_; }

 private:
  const PoolIndex& pool_;
  std::vector<CheckedAnswer> answers_;
  std::vector<std::string> files_;
};

}  // namespace quarry::ingest

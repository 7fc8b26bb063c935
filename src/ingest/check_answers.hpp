#pragma once
// Turns records into answers the ledger can hold: the id must exist in the pool, the label must
// name one of its classes, and no annotator may answer one item twice (within one file or
// across the files of one ingest). Bad records are rejected through their file's RecordSink.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ingest/ledger.hpp"
#include "ingest/pool_index.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

struct CheckedAnswer {
  Answer answer;
  std::string file;  // the annotation file it came from
};

class AnswerChecker {
 public:
  explicit AnswerChecker(const PoolIndex& pool) : pool_(pool) {}
  // Checks every record of `sink` and keeps the good ones.
  void check(RecordSink& sink);
  std::vector<CheckedAnswer>& answers() { return answers_; }

 private:
  const PoolIndex& pool_;
  std::vector<CheckedAnswer> answers_;
  std::map<std::pair<std::string, std::uint64_t>, std::string> first_answer_;  // -> where
};

}  // namespace quarry::ingest

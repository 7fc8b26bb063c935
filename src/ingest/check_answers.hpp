#pragma once
// Turns records into answers the ledger can hold: the id must exist in the pool, the label must
// name one of its classes, and no annotator may answer one item twice (within one file or
// across the files of one ingest). Bad records are rejected through their file's RecordSink.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/seeded.hpp"
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
  struct Key {
    std::int32_t annotator;
    std::uint64_t id;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const {
      return keyed_hash(0, key.id, static_cast<std::uint64_t>(key.annotator));
    }
  };

  const PoolIndex& pool_;
  std::vector<CheckedAnswer> answers_;
  std::vector<std::string> files_;
  std::unordered_map<std::string, std::int32_t> annotator_ids_;
  std::unordered_map<Key, std::size_t, KeyHash> first_answer_;  // -> index in answers_
};

}  // namespace quarry::ingest

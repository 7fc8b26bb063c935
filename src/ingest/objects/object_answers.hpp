#pragma once
// Turns object records (readers/object_readers.hpp) into answers consensus and the ledger take:
// the item must be in the pool, every class one of its classes (name or index), every keypoint
// one of its keypoint names (once per object), every coordinate a finite number, every box of
// positive size and, mapped back to pool pixels through the item's source transform, inside the
// stored image (within kEdgeTolerance pixels, which rounding in percentages and in two-decimal
// exports can cross; such boxes are clamped to the edge). Bad records are rejected through their
// file's RecordSink, which ends the ingest unless --skip-bad.
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "ingest/objects/drawn_object.hpp"
#include "ingest/objects/object_pool.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest::objects {

inline constexpr double kEdgeTolerance = 0.5;

struct ObjectAnswers {
  std::vector<std::string> annotators;         // Answer::annotator indexes this
  std::vector<ItemAnswers> items;              // ascending by id
  std::vector<std::string> item_source;        // per item: the file of its first answer
  std::vector<ingest::Answer> ledger_answers;  // one per answer, in reading order
  ObjectRows ledger_objects;                   // their objects, aligned
};

class ObjectAnswerChecker {
 public:
  explicit ObjectAnswerChecker(const ObjectPool& pool) : pool_(pool) {}
  void check(RecordSink& sink);
  std::size_t answers() const { return ledger_answers_.size(); }
  ObjectAnswers take();

 private:
  // The object in pool pixels, or a description of what is wrong with it.
  std::variant<DrawnObject, std::string> map_object(const RecordObject& object,
                                                    const pool::SourceTransform& t) const;
  std::int32_t annotator_index(const std::string& name);

  const ObjectPool& pool_;
  std::vector<std::string> annotators_;
  std::unordered_map<std::string, std::int32_t> annotator_index_;
  std::map<std::uint64_t, ItemAnswers> items_;
  std::map<std::uint64_t, std::string> item_source_;
  std::vector<ingest::Answer> ledger_answers_;
  ObjectRows ledger_objects_;
};

}  // namespace quarry::ingest::objects

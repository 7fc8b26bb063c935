#include "ingest/check_answers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace quarry::ingest {

void AnswerChecker::check(RecordSink& sink) {
  const std::string file = sink.file().string();
  for (const auto& record : sink.records()) {
    if (!pool_.contains(record.id)) {
      sink.reject(record.where,
                  fmt::format("item {} is not in the pool: quarry never exported it", record.id),
                  "ingest annotations of items exported from this pool");
      continue;
    }
    const auto label = pool_.class_of(record.label);
    if (!label) {
      sink.reject(record.where,
                  fmt::format("class '{}' is not one of the pool's classes ({})", record.label,
                              fmt::join(pool_.classes(), ", ")),
                  "fix the labeling configuration to use the pool's class names");
      continue;
    }
    const std::string where = fmt::format("{}: {}", file, record.where);
    auto [it, fresh] = first_answer_.emplace(std::make_pair(record.annotator, record.id), where);
    if (!fresh) {
      sink.reject(record.where,
                  fmt::format("annotator '{}' answered item {} twice (first at {})",
                              record.annotator, record.id, it->second),
                  "keep one answer per annotator and item");
      continue;
    }
    answers_.push_back({{record.id, record.annotator, *label}, file});
  }
}

}  // namespace quarry::ingest

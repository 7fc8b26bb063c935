#include "ingest/check_answers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace quarry::ingest {

void AnswerChecker::check(RecordSink& sink) {
  const auto file = static_cast<std::int32_t>(files_.size());
  files_.push_back(sink.file().string());
  for (auto& record : sink.records()) {
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
    answers_.push_back(
        {{record.id, std::move(record.annotator), *label}, file, std::move(record.where)});
  }
}

}  // namespace quarry::ingest

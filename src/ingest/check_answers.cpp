#include "ingest/check_answers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <optional>
#include <system_error>

namespace quarry::ingest {

void AnswerChecker::check(RecordSink& sink) {
  if (files_.empty() || files_.back() != sink.file().string()) {
    files_.push_back(sink.file().string());
    // Room for as many answers as the file could hold (one in 6 bytes, "1,a,b\n"): reserved
    // memory is not touched until used, while growing by doubling touches it twice over, and
    // first touching memory is the dearest part of reading.
    std::error_code error;
    const auto bytes = std::filesystem::file_size(sink.file(), error);
    if (!error) answers_.reserve(answers_.size() + static_cast<std::size_t>(bytes / 6));
  }
  const auto file = static_cast<std::int32_t>(files_.size() - 1);
  // Files list an item's answers together and use few labels: the last lookups are kept.
  std::optional<std::uint64_t> looked_up_id;
  bool in_pool = false;
  std::optional<std::string> looked_up_label;
  std::optional<std::int32_t> label;
  for (const auto& record : sink.records()) {
    if (looked_up_id != record.id) {
      in_pool = pool_.contains(record.id);
      looked_up_id = record.id;
    }
    if (!in_pool) {
      sink.reject(record.where,
                  fmt::format("item {} is not in the pool: quarry never exported it", record.id),
                  "ingest annotations of items exported from this pool");
      continue;
    }
    if (looked_up_label != record.label) {
      label = pool_.class_of(record.label);
      looked_up_label = record.label;
    }
    if (!label) {
      sink.reject(record.where,
                  fmt::format("class '{}' is not one of the pool's classes ({})", record.label,
                              fmt::join(pool_.classes(), ", ")),
                  "fix the labeling configuration to use the pool's class names");
      continue;
    }
    answers_.push_back({record.id, annotator_index(record.annotator), *label, file, record.task});
  }
}

std::int32_t AnswerChecker::annotator_index(const std::string& name) {
  const auto [it, added] =
      annotator_index_.emplace(name, static_cast<std::int32_t>(annotators_.size()));
  if (added) annotators_.push_back(name);
  return it->second;
}

Answer AnswerChecker::ledger_answer(std::size_t i) const {
  const auto& a = answers_[i];
  return {a.id, annotators_[static_cast<std::size_t>(a.annotator)], a.label, a.task};
}

}  // namespace quarry::ingest

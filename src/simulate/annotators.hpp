#pragma once
// Simulated annotators: every answer is a seeded function of (seed, annotator, item id), so a
// simulation gives the same answers on any machine and rank count. Answers are written as the
// CSV that quarry ingest reads (`id,annotator,label`), so they take the real consensus path.
#include <cstdint>
#include <filesystem>
#include <unordered_map>
#include <vector>

#include "simulate/options.hpp"

namespace quarry::simulate {

struct SimAnswer {
  std::uint64_t id = 0;
  std::size_t annotator = 0;  // index into the annotator list
  std::int32_t label = 0;
};

// The answers of `votes_per_item` annotators (a seeded rotation over the list) for each item.
std::vector<SimAnswer> simulate_answers(
    const std::vector<std::uint64_t>& ids,
    const std::unordered_map<std::uint64_t, std::int32_t>& truth,
    const std::vector<AnnotatorModel>& annotators, int votes_per_item, std::size_t classes,
    std::uint64_t seed);

// Writes the answers as `id,annotator,label` (label as class index), atomically.
void write_answers_csv(const std::filesystem::path& path, const std::vector<SimAnswer>& answers,
                       const std::vector<AnnotatorModel>& annotators);

}  // namespace quarry::simulate

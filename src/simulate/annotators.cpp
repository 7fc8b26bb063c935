#include "simulate/annotators.hpp"

#include <fmt/format.h>

#include <fstream>

#include "core/error.hpp"
#include "core/seeded.hpp"

namespace quarry::simulate {

namespace {

// Streams of the per-item draws, kept apart so changing one draw never shifts another.
enum Stream : std::uint64_t { kRotation = 1, kCorrect = 2, kConfuse = 3, kWrongClass = 4 };

// The class annotator `a` mistakes `truth` for: a fixed pairing per (annotator, class).
std::int32_t confused_class(std::uint64_t seed, std::size_t a, std::int32_t truth,
                            std::size_t classes) {
  const auto offset =
      1 + keyed_hash(derive_seed(seed, Purpose::simulated_confusions, a), std::uint64_t(truth)) %
              (classes - 1);
  return std::int32_t((std::size_t(truth) + offset) % classes);
}

std::int32_t answer(std::uint64_t seed, std::size_t a, const AnnotatorModel& model,
                    std::uint64_t id, std::int32_t truth, std::size_t classes) {
  const std::uint64_t key = derive_seed(seed, Purpose::simulated_answers, a);
  if (classes < 2 || keyed_uniform(key, id, kCorrect) < model.accuracy) return truth;
  if (keyed_uniform(key, id, kConfuse) < model.confusion)
    return confused_class(seed, a, truth, classes);
  const auto offset = 1 + keyed_hash(key, id, kWrongClass) % (classes - 1);
  return std::int32_t((std::size_t(truth) + offset) % classes);
}

}  // namespace

std::vector<SimAnswer> simulate_answers(
    const std::vector<std::uint64_t>& ids,
    const std::unordered_map<std::uint64_t, std::int32_t>& truth,
    const std::vector<AnnotatorModel>& annotators, int votes_per_item, std::size_t classes,
    std::uint64_t seed) {
  std::vector<SimAnswer> answers;
  answers.reserve(ids.size() * std::size_t(votes_per_item));
  for (auto id : ids) {
    const auto it = truth.find(id);
    if (it == truth.end() || it->second < 0)
      throw InputError("pool", fmt::format("item {}", id), "has no ground-truth label",
                       "quarry simulate needs a pool whose /labels are all known");
    const auto first = keyed_hash(seed, id, kRotation) % annotators.size();
    for (int v = 0; v < votes_per_item; ++v) {
      const auto a = (first + std::size_t(v)) % annotators.size();
      answers.push_back({id, a, answer(seed, a, annotators[a], id, it->second, classes)});
    }
  }
  return answers;
}

void write_answers_csv(const std::filesystem::path& path, const std::vector<SimAnswer>& answers,
                       const std::vector<AnnotatorModel>& annotators) {
  AtomicOutput output(path, Overwrite::replace);
  {
    std::ofstream out(output.temp_path());
    out << "id,annotator,label\n";
    for (const auto& a : answers)
      out << a.id << ',' << annotators[a.annotator].name << ',' << a.label << '\n';
    if (!out.flush()) throw Error(fmt::format("{}: cannot write the answers", path.string()));
  }
  output.commit();
}

}  // namespace quarry::simulate

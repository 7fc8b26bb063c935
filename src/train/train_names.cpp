#include "train/train_names.hpp"

#include <fmt/format.h>

#include <span>
#include <utility>

#include "core/error.hpp"

namespace quarry::train {

namespace {

template <class T>
using NameTable = std::span<const std::pair<const char*, T>>;

constexpr std::pair<const char*, Optimizer> kOptimizers[] = {{"adam", Optimizer::adam},
                                                             {"sgd", Optimizer::sgd}};
constexpr std::pair<const char*, Schedule> kSchedules[] = {
    {"cosine", Schedule::cosine}, {"constant", Schedule::constant}, {"step", Schedule::step}};

template <class T>
T parse(NameTable<T> table, const char* option, const std::string& name) {
  std::string known;
  for (const auto& [text, value] : table) {
    if (name == text) return value;
    known += known.empty() ? text : fmt::format(", {}", text);
  }
  throw UsageError(fmt::format("--{} '{}' is not one of {}", option, name, known));
}

template <class T>
const char* name_in(NameTable<T> table, T value) {
  for (const auto& [text, entry] : table)
    if (entry == value) return text;
  throw Error("a train option value has no name in its table");
}

}  // namespace

Optimizer parse_optimizer(const std::string& name) {
  return parse<Optimizer>(kOptimizers, "optimizer", name);
}
Schedule parse_schedule(const std::string& name) {
  return parse<Schedule>(kSchedules, "schedule", name);
}
const char* name_of(Optimizer optimizer) {
  return name_in<Optimizer>(kOptimizers, optimizer);
}
const char* name_of(Schedule schedule) {
  return name_in<Schedule>(kSchedules, schedule);
}

}  // namespace quarry::train

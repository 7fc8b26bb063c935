#include "simulate/options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "files/pool/schema.hpp"

namespace quarry::simulate {

namespace {

double parse_share(const std::string& text, const std::string& what) {
  const auto value = parse_double(text);
  if (!value || !(*value >= 0 && *value <= 1))
    throw UsageError(fmt::format("--annotators: {} '{}' is not a number in [0, 1]", what, text),
                     "write accuracy[:confusion] per annotator, for example 0.95,0.9:0.5,0.8");
  return *value;
}

}  // namespace

std::vector<AnnotatorModel> parse_annotators(const std::string& text) {
  std::vector<AnnotatorModel> annotators;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    AnnotatorModel a;
    a.name = fmt::format("sim{}", annotators.size() + 1);
    const auto colon = item.find(':');
    a.accuracy = parse_share(item.substr(0, colon), "accuracy");
    if (colon != std::string::npos) a.confusion = parse_share(item.substr(colon + 1), "confusion");
    annotators.push_back(a);
  }
  if (annotators.empty()) throw UsageError("--annotators lists no annotator");
  return annotators;
}

std::vector<std::string> parse_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

std::vector<std::uint64_t> parse_seeds(const std::string& text) {
  std::vector<std::uint64_t> seeds;
  for (const auto& item : parse_list(text)) {
    std::size_t used = 0;
    std::uint64_t seed = 0;
    try {
      seed = std::stoull(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item[0] == '-')
      throw UsageError(fmt::format("--seeds: '{}' is not a non-negative integer", item));
    seeds.push_back(seed);
  }
  return seeds;
}

void check_options(const SimulateOptions& o) {
  if (o.initial == 0) throw UsageError("--initial must be at least 1");
  if (o.batch == 0) throw UsageError("--batch must be at least 1");
  if (o.rounds < 0) throw UsageError("--rounds must not be negative");
  if (o.seeds.empty()) throw UsageError("--seeds lists no seed");
  if (o.epochs < 1) throw UsageError("--epochs must be at least 1");
  if (o.unlabeled_ratio < 1) throw UsageError("--unlabeled-ratio must be at least 1");
  if (o.initial_strategy != "random" && o.initial_strategy != "typiclust")
    throw UsageError(
        fmt::format("--initial-strategy '{}' is neither random nor typiclust", o.initial_strategy));
  if (o.audit_folds == 1 || o.audit_folds < 0)
    throw UsageError("--audit-folds must be 0 (off) or at least 2");
  if (o.stop.window < 1) throw UsageError("--stop-window must be at least 1");
  if (!(o.stop.kappa > -1 && o.stop.kappa <= 1))
    throw UsageError("--stop-kappa must be a kappa in (-1, 1]");
  if (o.votes_per_item < 1 ||
      (o.task == pool::Task::classify && std::size_t(o.votes_per_item) > o.annotators.size()))
    throw UsageError(fmt::format("--votes-per-item {} must be between 1 and the {} annotator(s)",
                                 o.votes_per_item, o.annotators.size()));
  if (o.min_confidence < 0 || o.min_confidence > 1)
    throw UsageError("--min-confidence must be in [0, 1]");
  if (o.task != pool::Task::classify) {
    if (o.audit_folds > 0)
      throw UsageError(
          fmt::format("--audit-folds: the label audit checks classes, not the objects of a {} pool",
                      pool::task_name(o.task)));
    if (o.stop.enabled())
      throw UsageError(fmt::format(
          "--stop-set: the stopping criterion compares classes, not the objects of a {} pool",
          pool::task_name(o.task)));
    if (o.votes_per_item > int(o.object_annotators.size()))
      throw UsageError(fmt::format("--votes-per-item {} is more than the {} object annotator(s)",
                                   o.votes_per_item, o.object_annotators.size()));
  }
  // quarry select refuses a pre-filter smaller than the batch (quarry cycle: select.candidates).
  if (o.candidates != 0 && o.candidates < o.batch)
    throw UsageError(fmt::format("--candidates {} is fewer than --batch {}", o.candidates, o.batch),
                     "pass 0 for 2 x batch, or at least --batch");
}

std::vector<std::string> simulation_arms(const std::vector<std::string>& strategies,
                                         pool::Task task) {
  const bool objects = task != pool::Task::classify;
  std::vector<std::string> arms = {"random"};
  if (objects) arms.push_back(std::string("random") + kPrelabelArm);
  for (const auto& s : strategies) {
    const auto arm = objects ? s + kPrelabelArm : s;
    if (std::find(arms.begin(), arms.end(), arm) == arms.end()) arms.push_back(arm);
  }
  return arms;
}

std::string arm_strategy(const std::string& arm) {
  return arm_uses_prelabels(arm) ? arm.substr(0, arm.size() - std::string(kPrelabelArm).size())
                                 : arm;
}

std::string target_metric(pool::Task task) {
  return task == pool::Task::keypoints ? "OKS-AP"
         : task == pool::Task::detect  ? "AP@.5"
                                       : "accuracy";
}

bool arm_uses_prelabels(const std::string& arm) {
  return arm.ends_with(kPrelabelArm);
}

}  // namespace quarry::simulate

// check_settings: a bad value in quarry.ini is refused before a round changes anything, rather
// than by the stage that reads it hours later on the cluster. Every key of every stage is checked
// here, with the stage libraries' own parsers where they have one, and every message names the
// key and where it was set ("quarry.ini: line N: key: problem").
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <regex>

#include "core/error.hpp"
#include "export/assignment.hpp"
#include "export/formats.hpp"
#include "export/writers.hpp"
#include "files/scores/acquisitions.hpp"
#include "ingest/ingest_run.hpp"
#include "pipeline/workspace_config.hpp"
#include "select/select_batch.hpp"

namespace quarry::pipeline {

namespace {

bool looks_integer(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

[[noreturn]] void refuse(const WorkspaceConfig& config, const std::string& key,
                         const std::string& problem, const std::string& hint = {}) {
  throw InputError(config.origin(key), key, problem, hint);
}

// Runs a stage library's own parser on the value; its UsageError becomes an InputError that
// names the key and where it was set.
void check_with(const WorkspaceConfig& config, const std::string& key,
                const std::function<void(const std::string&)>& parse) {
  try {
    parse(config.text(key));
  } catch (const UsageError& error) {
    refuse(config, key, error.what(), error.hint());
  }
}

void check_one_of(const WorkspaceConfig& config, const std::string& key,
                  const std::vector<std::string>& names, const std::string& what) {
  const auto& value = config.text(key);
  if (std::find(names.begin(), names.end(), value) == names.end())
    refuse(config, key, fmt::format("unknown {} '{}'", what, value),
           fmt::format("choose one of: {}", fmt::join(names, ", ")));
}

// Every number parses (a whole number >= 0 where the default is one, a real number where the
// default has a decimal point): what the typed reads of the stages would refuse later.
void check_numbers(const WorkspaceConfig& config) {
  for (const auto& setting : workspace_settings()) {
    const auto& value = setting.default_value;
    if (looks_integer(value)) config.integer(setting.key);
    const auto dot = value.find('.');
    if (dot != std::string::npos && looks_integer(std::string(value).erase(dot, 1)))
      config.real(setting.key);
  }
  for (const char* key : {"k", "annotators-per-item", "train.epochs", "train.batch",
                          "train.unlabeled-ratio", "score.batch", "score.unit-chunks"})
    if (config.integer(key) < 1) refuse(config, key, "must be at least 1");
  for (const char* key : {"gold-rate", "min-confidence", "prelabel-min-confidence"}) {
    const double fraction = config.real(key);
    if (!(fraction >= 0 && fraction <= 1))
      refuse(config, key, fmt::format("{} is not a fraction between 0 and 1", config.text(key)));
  }
  if (!(config.real("train.lr") > 0)) refuse(config, "train.lr", "must be positive");
  if (!(config.real("stop.kappa") > -1 && config.real("stop.kappa") <= 1))
    refuse(config, "stop.kappa", "must be a kappa in (-1, 1]");
  if (config.integer("audit.folds") == 1)
    refuse(config, "audit.folds", "must be 0 (off) or at least 2");
  if (config.integer("stop.window") < 1) refuse(config, "stop.window", "must be at least 1");
}

// The architecture must be the task's kind of model: a classifier cannot be trained on objects,
// nor a detector on classes (the trainer would refuse it only at the first round's train stage).
void check_arch_fits_task(const WorkspaceConfig& config) {
  const auto& task = config.text("task");
  const auto& arch = config.text("arch");
  const bool objects = task != "classify";
  if (objects == (arch == "centernet-small")) return;
  refuse(config, "arch",
         fmt::format("{} is {}, and the pool {} is a {} pool: use {}", arch,
                     objects ? "a classifier" : "a detector", config.text("pool"), task,
                     objects ? "centernet-small" : "small-cnn (images) or mlp (features)"),
         "set arch in quarry.ini, or quarry init --arch");
}

// What a detection or keypoint workspace cannot do yet: each would fail in its stage hours into
// a round, or silently do nothing.
void check_object_pool_settings(const WorkspaceConfig& config) {
  if (config.text("task") == "classify") return;
  const std::string task = config.text("task");
  const auto unavailable = [&](const char* key, const char* why) {
    refuse(config, key, fmt::format("{} on a {} pool: {}", config.text(key), task, why));
  };
  if (config.real("gold-rate") > 0)
    unavailable("gold-rate", "gold items are classification labels");
  if (config.text("train.unlabeled-pool") == "true")
    unavailable("train.unlabeled-pool", "FixMatch trains classifiers only");
  if (config.integer("audit.folds") > 0)
    unavailable("audit.folds", "confident learning audits class labels only");
  if (config.integer("stop.set-size") > 0)
    unavailable("stop.set-size", "the stopping criterion compares class predictions only");
  for (const char* key : {"strategy", "seed-strategy"})
    if (config.text(key) == "badge")
      unavailable(key, "BADGE's gradient embeddings need a classifier's probabilities");
}

void check_model(const WorkspaceConfig& config) {
  check_one_of(config, "task", {"classify", "detect", "keypoints"}, "task");
  check_one_of(config, "arch", {"small-cnn", "mlp", "centernet-small"}, "architecture");
  check_arch_fits_task(config);
  check_object_pool_settings(config);
  check_one_of(config, "train.unlabeled-pool", {"true", "false"}, "switch");
  // score.mc-samples: the sampled passes of bald and variation_ratio; one pass is no sample.
  if (config.integer("score.mc-samples") == 1)
    refuse(config, "score.mc-samples", "must be 0 (off) or at least 2");
}

void check_selection(const WorkspaceConfig& config) {
  check_one_of(config, "strategy", select::strategy_names(), "strategy");
  check_one_of(config, "seed-strategy", {"random", "typiclust"}, "seed-round strategy");
  check_one_of(config, "acquisition", score::known_acquisitions(), "acquisition");
  check_with(config, "acquisition", [&](const std::string& name) {
    score::check_acquisition_applies(name, config.text("task"));
  });
  if (score::needs_samples(config.text("acquisition")) && config.integer("score.mc-samples") == 0)
    refuse(config, "acquisition",
           fmt::format("{} needs Monte-Carlo dropout", config.text("acquisition")),
           "set score.mc-samples (for example 10)");
  const auto& strategy = config.text("strategy");
  const auto candidates = config.integer("select.candidates");
  if ((strategy == "margin-kcenter" || strategy == "cluster-margin") && candidates != 0 &&
      candidates < config.integer("k"))
    refuse(config, "select.candidates",
           fmt::format("{} is fewer than k ({})", candidates, config.integer("k")));
}

void check_annotation(const WorkspaceConfig& config) {
  check_with(config, "formats", [](const std::string& text) { exporting::parse_formats(text); });
  check_with(config, "consensus",
             [](const std::string& name) { ingest::parse_consensus_method(name); });
  const auto annotators = config.list("annotators");
  check_with(config, "annotators",
             [&](const std::string&) { exporting::check_annotator_names(annotators); });
  const auto per_item = config.integer("annotators-per-item");
  if (annotators.empty() && per_item > 1)
    refuse(config, "annotators-per-item",
           fmt::format("{} annotators per item needs annotators to assign", per_item),
           "name them in annotators");
  if (!annotators.empty() && std::size_t(per_item) > annotators.size())
    refuse(config, "annotators-per-item",
           fmt::format("{} annotators per item needs at least {} annotators, annotators names {}",
                       per_item, per_item, annotators.size()));
}

// The round's folder is appended to the prefixes: without a closing '/' (or the '=' of a query)
// every image URL would run two names together.
void check_prefixes(const WorkspaceConfig& config) {
  const auto& label_studio = config.text("label-studio-prefix");
  if (!label_studio.ends_with('/') && !label_studio.ends_with('='))
    refuse(config, "label-studio-prefix",
           fmt::format("'{}' ends with neither / nor =", label_studio),
           fmt::format("for example {} (Local Files) or https://host/workspace/",
                       exporting::kLocalFilesUrl));
  const auto& sagemaker = config.text("sagemaker-prefix");
  if (!sagemaker.empty() && !sagemaker.ends_with('/'))
    refuse(config, "sagemaker-prefix", fmt::format("'{}' does not end with /", sagemaker),
           "for example s3://bucket/quarry/");
}

// What sbatch accepts for --time and --mem; anything else fails at submission, after the chain
// has been partly queued.
void check_slurm(const WorkspaceConfig& config) {
  check_one_of(config, "slurm.mpi-io", {"ompio", "romio321"}, "MPI-IO component");
  static const std::regex time(R"((\d+-)?\d+(:\d+){0,2}|\d+-\d+)");
  static const std::regex memory(R"(\d+[KMGT]?)");
  for (const auto& setting : workspace_settings()) {
    const auto& key = setting.key;
    const auto& value = config.text(key);
    if (value.empty() || key.rfind("slurm.", 0) != 0) continue;
    if (key.ends_with(".time") && !std::regex_match(value, time))
      refuse(config, key, fmt::format("'{}' is not a Slurm time limit", value),
             "write MINUTES, HH:MM:SS or DAYS-HH:MM:SS");
    if (key.ends_with(".mem") && !std::regex_match(value, memory))
      refuse(config, key, fmt::format("'{}' is not a Slurm memory size", value),
             "write a number with an optional unit K, M, G or T, for example 16G");
  }
}

}  // namespace

void check_settings(const WorkspaceConfig& config) {
  check_numbers(config);
  check_model(config);
  check_selection(config);
  check_annotation(config);
  check_prefixes(config);
  check_slurm(config);
}

}  // namespace quarry::pipeline

#include "pipeline/workspace_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "export/gather.hpp"
#include "export/writers.hpp"
#include "ingest/ingest_run.hpp"
#include "model/builtin.hpp"
#include "pipeline/ini_file.hpp"
#include "score/pipeline.hpp"
#include "select/select_batch.hpp"
#include "train/trainer.hpp"

namespace quarry::pipeline {

namespace {

// Resource keys every stage section accepts; what the stage job asks Slurm for.
void add_stage_resources(std::vector<SettingInfo>& table, const std::string& stage,
                         const std::string& ntasks, const std::string& cpus,
                         const std::string& gpus, const std::string& time, const std::string& mem) {
  const std::string s = "slurm." + stage + ".";
  table.push_back({s + "nodes", "1", "nodes (score: sized from the pool, see items-per-node)"});
  table.push_back({s + "ntasks-per-node", ntasks, "MPI ranks per node"});
  table.push_back({s + "cpus-per-task", cpus, "cores per rank (the stage's thread count)"});
  table.push_back({s + "gpus-per-task", gpus, "GPUs per rank (0: none requested)"});
  table.push_back({s + "time", time, "wall-time limit"});
  table.push_back({s + "mem", mem, "memory per node (empty: the partition's default)"});
  table.push_back({s + "partition", "", "partition (empty: [slurm] partition)"});
}

template <class Number>
std::string text_of(Number value) {
  return fmt::format("{}", value);
}

// The model's keys: training, scoring, selection's pre-filter, stopping and the label audit.
void add_model_settings(std::vector<SettingInfo>& t) {
  const select::SelectOptions selecting;
  const score::ScoreOptions scoring;
  const train::TrainOptions training;
  const std::vector<SettingInfo> keys = {
      {"train.epochs", text_of(training.epochs), "epochs per round"},
      {"train.images", "0",
       "the first model trained (the seed round's fresh one) sees at least this many images: "
       "max(epochs, images / labels) epochs, so a few labels are not undertrained (0: epochs)"},
      {"train.batch", text_of(training.batch), "global batch"},
      {"train.lr", text_of(training.lr), "learning rate"},
      {"train.threads", text_of(training.threads),
       "threads per rank (0: SLURM_CPUS_PER_TASK or cores/ranks)"},
      {"train.unlabeled-pool", training.unlabeled_pool ? "true" : "false",
       "also learn from the pool's unlabeled images, FixMatch (quarry train --unlabeled-pool)"},
      {"train.unlabeled-ratio", text_of(training.unlabeled_ratio),
       "FixMatch: unlabeled images per labeled image of a batch (quarry train --unlabeled-ratio)"},
      {"score.batch", text_of(scoring.batch), "forward batch"},
      {"score.threads", text_of(scoring.threads),
       "threads per rank (0: SLURM_CPUS_PER_TASK or cores/ranks)"},
      {"score.unit-chunks", text_of(scoring.unit_chunks), "pool chunks per checkpointed work unit"},
      {"score.mc-samples", text_of(scoring.mc_samples),
       "Monte-Carlo dropout passes (bald, variation_ratio)"},
      {"select.candidates", text_of(selecting.candidates),
       "uncertainty pre-filter size (0: 2 x k)"},
      {"stop.set-size", "0",
       "stopping criterion: unlabeled items whose predictions successive rounds compare (0: off; "
       "Bloodgood and Vijay-Shanker used 2000)"},
      {"stop.kappa", "0.99", "stopping criterion: Cohen's kappa of successive rounds to reach"},
      {"stop.window", "3", "stopping criterion: successive rounds kappa must stay at or above it"},
      {"audit.folds", "0",
       "confident learning before each round's training: folds of fresh models whose "
       "out-of-fold predictions flag likely wrong labels into rounds/NNNN/flags.csv (0: off)"},
  };
  t.insert(t.end(), keys.begin(), keys.end());
}

// A stage's own option's default is its key's default: one place for each.
std::vector<SettingInfo> build_table() {
  const select::SelectOptions selecting;
  const ingest::IngestRequest ingesting;
  std::vector<SettingInfo> t = {
      {"pool", "", "the pool to label (opened read-only)"},
      {"eval-pool", "", "labeled pool for evaluation after training (empty: none)"},
      {"classes", "", "class names, from the pool (checked, not changed)"},
      {"task", "classify",
       "the pool's task, from the pool: classify | detect | keypoints (sets the defaults of arch, "
       "acquisition, score.batch and train.*)"},
      {"arch", model::kDefaultArch,
       "model architecture of the first model: small-cnn | mlp (classify), centernet-small "
       "(detect, keypoints)"},
      {"seed", "0", "seed of every random choice (model init, selection, assignment)"},
      {"k", "100", "items selected for labeling per round"},
      {"strategy", select::strategy_name(select::kDefaultStrategy),
       "selection strategy (see quarry select --help)"},
      {"seed-strategy", "random",
       "how quarry init --seed-labels picks the first items: random | typiclust (typical items "
       "of as many clusters of the fresh model's embeddings)"},
      {"acquisition", selecting.acquisition, "uncertainty used by the strategy"},
      {"annotators", "", "annotator names, comma-separated (empty: no assignment)"},
      {"annotators-per-item", "1", "distinct annotators per item"},
      {"formats", "label-studio,csv", "export formats: label-studio,cvat,coco,sagemaker,csv"},
      {"prelabel-min-confidence", text_of(exporting::kDefaultPrelabelMinConfidence),
       "detect and keypoint pools: detections at least this confident are exported as "
       "pre-labels (quarry export --prelabel-min-confidence)"},
      {"label-studio-prefix", exporting::kLocalFilesUrl,
       "URL the workspace is served at: task image = this + rounds/NNNN/export/images/<id>.png "
       "(default: Local Files with LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT = the workspace)"},
      {"sagemaker-prefix", "",
       "URI the workspace is uploaded to (s3://bucket/path/): source-ref = this + "
       "rounds/NNNN/export/images/<id>.png"},
      {"consensus", ingest::consensus_method_name(ingesting.consensus),
       "how answers become labels: majority | dawid-skene"},
      {"min-confidence", text_of(ingesting.min_confidence),
       "labels below this confidence go back for adjudication"},
      {"annotator-map", "",
       "Label Studio's users (/api/users saved as JSON, relative to the workspace): names user "
       "ids by email (empty: label-studio:<id>)"},
      {"gold-rate", "0.0",
       "labeled items mixed into each export per selected item, to score annotators"},
  };
  add_model_settings(t);
  t.insert(t.end(),
           {{"slurm.partition", "", "default partition (empty: the cluster's default)"},
            {"slurm.account", "", "account to charge (empty: your default)"},
            {"slurm.mpi-io", "ompio", "OMPI_MCA_io for the stages: ompio | romio321"},
            {"slurm.extra", "", "further sbatch options for every stage, space-separated"}});
  add_stage_resources(t, "ingest", "1", "2", "0", "00:30:00", "");
  add_stage_resources(t, "train", "1", "8", "1", "04:00:00", "");
  add_stage_resources(t, "score", "4", "8", "1", "02:00:00", "");
  t.push_back({"slurm.score.items-per-node", "2000000", "one node per this many pool items"});
  t.push_back({"slurm.score.max-nodes", "16", "at most this many nodes"});
  add_stage_resources(t, "select", "4", "8", "0", "01:00:00", "");
  add_stage_resources(t, "export", "1", "8", "0", "01:00:00", "");
  return t;
}

std::string section_of(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? std::string() : key.substr(0, dot);
}

}  // namespace

const std::vector<SettingInfo>& workspace_settings() {
  static const std::vector<SettingInfo> table = build_table();
  return table;
}

WorkspaceConfig::WorkspaceConfig() {
  for (const auto& setting : workspace_settings()) {
    values_[setting.key] = setting.default_value;
    origin_[setting.key] = "default";
  }
}

void WorkspaceConfig::set(const std::string& key, const std::string& value, const std::string& file,
                          const std::string& where) {
  if (!values_.count(key)) {
    const auto section = section_of(key);
    std::vector<std::string> known;
    for (const auto& setting : workspace_settings())
      if (section_of(setting.key) == section) known.push_back(setting.key);
    throw InputError(file, where, fmt::format("unknown key '{}'", key),
                     known.empty() ? "see the keys quarry init writes into quarry.ini"
                                   : fmt::format("keys here: {}", fmt::join(known, ", ")));
  }
  values_[key] = value;
  origin_[key] = fmt::format("{}: {}", file, where);
}

void WorkspaceConfig::merge_file(const std::filesystem::path& file) {
  for (const auto& entry : read_ini(file))
    set(entry.key, entry.value, file.string(), fmt::format("line {}", entry.line));
}

void WorkspaceConfig::set_assignment(const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw UsageError(fmt::format("--set '{}' is not KEY=VALUE", assignment),
                     "for example --set slurm.score.gpus-per-task=0");
  set(assignment.substr(0, equals), assignment.substr(equals + 1), "--set", assignment);
}

const std::string& WorkspaceConfig::text(const std::string& key) const {
  const auto found = values_.find(key);
  if (found == values_.end()) throw Error(fmt::format("internal: unknown setting '{}'", key));
  return found->second;
}

std::int64_t WorkspaceConfig::integer(const std::string& key) const {
  const auto& value = text(key);
  std::int64_t result = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (error != std::errc() || end != value.data() + value.size() || result < 0)
    throw InputError(origin_.at(key), key, fmt::format("'{}' is not a whole number >= 0", value));
  return result;
}

double WorkspaceConfig::real(const std::string& key) const {
  const auto& value = text(key);
  const auto result = parse_double(value);
  if (!result) throw InputError(origin_.at(key), key, fmt::format("'{}' is not a number", value));
  return *result;
}

std::vector<std::string> WorkspaceConfig::list(const std::string& key) const {
  std::vector<std::string> items;
  std::istringstream in(text(key));
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::string WorkspaceConfig::render() const {
  std::string out =
      "# quarry workspace settings (written by quarry init). Edit them between rounds: every\n"
      "# stage reads this file when it starts. Unknown keys are refused by name.\n";
  std::string section;
  for (const auto& setting : workspace_settings()) {
    const auto this_section = section_of(setting.key);
    if (this_section != section) {
      section = this_section;
      out += fmt::format("\n[{}]\n", section);
    }
    const auto name = section.empty() ? setting.key : setting.key.substr(section.size() + 1);
    out += fmt::format("# {}\n{} = {}\n", setting.help, name, values_.at(setting.key));
  }
  return out;
}

WorkspaceConfig read_workspace_config(const std::filesystem::path& file) {
  WorkspaceConfig config;
  config.merge_file(file);
  return config;
}

}  // namespace quarry::pipeline

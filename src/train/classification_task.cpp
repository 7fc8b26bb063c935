// Training a classifier: the ledger's labeled items, cross entropy weighted by the ledger's
// confidence (and inverse class frequency with --class-weights), accuracy and calibration as
// the evaluation.
#include <torch/torch.h>

#include <algorithm>
#include <optional>

#include "core/error.hpp"
#include "model/loaded_model.hpp"
#include "train/batches.hpp"
#include "train/evaluate.hpp"
#include "train/fixmatch.hpp"
#include "train/labeled_set.hpp"
#include "train/training_task.hpp"

namespace quarry::train {

namespace {

// Inverse class frequency, scaled to mean 1 over the labeled items; ones when not asked for.
std::vector<float> class_weights(const LabeledSet& set, bool wanted) {
  std::vector<float> weights(set.classes.size(), 1.0f);
  if (!wanted) return weights;
  std::vector<double> counts(set.classes.size(), 0.0);
  for (auto label : set.labels) counts[static_cast<std::size_t>(label)] += 1;
  const double present =
      double(std::count_if(counts.begin(), counts.end(), [](double c) { return c > 0; }));
  for (std::size_t c = 0; c < counts.size(); ++c)
    weights[c] =
        counts[c] > 0 ? static_cast<float>(double(set.size()) / (present * counts[c])) : 0.0f;
  return weights;
}

class ClassificationTask final : public TrainingTask {
 public:
  explicit ClassificationTask(const TrainOptions& options)
      : options_(options),
        set_(load_labeled_set(options.pool, options.labels)),
        weights_by_class_(class_weights(set_, options.class_weights)),
        augment_{options.augment && set_.images(), 2, options.hflip} {
    if (options.unlabeled_pool) fixmatch_.emplace(options, set_, augment_);
  }

  std::span<const std::uint64_t> ids() const override { return set_.ids; }
  const std::string& ledger_sha256() const override { return set_.ledger_sha256; }
  torch::jit::Module& module() override { return model_->module(); }

  void load_model(const std::filesystem::path& path) override {
    model_.emplace(model::LoadedModel::load(path, set_.item_shape,
                                            static_cast<std::int64_t>(set_.classes.size())));
  }

  double local_loss(std::span<const std::size_t> batch, std::span<const std::size_t> items,
                    int epoch) override {
    const auto count = static_cast<std::int64_t>(items.size());
    if (!input_.defined() || input_.size(0) < count) {
      std::vector<std::int64_t> shape{count};
      shape.insert(shape.end(), set_.item_shape.begin(), set_.item_shape.end());
      input_ = torch::zeros(shape);  // allocated once: the first batch's share is the largest
    }
    const auto affine = model_->input_affine();
    fill_batch(set_, items, augment_, options_.seed, epoch, affine.scale, affine.shift,
               input_.data_ptr<float>());
    std::vector<std::int64_t> targets(items.size());
    std::vector<float> weights(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      targets[i] = set_.labels[items[i]];
      weights[i] =
          set_.confidence[items[i]] * weights_by_class_[static_cast<std::size_t>(targets[i])];
    }
    auto output = model::parse_output(model_->module().forward({input_.narrow(0, 0, count)}),
                                      options_.model.string());
    auto losses = torch::nn::functional::cross_entropy(
        output.logits, torch::tensor(targets),
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    auto loss = (losses * torch::tensor(weights)).sum() / static_cast<double>(batch.size());
    loss.backward();
    double value = loss.item<double>();
    if (fixmatch_) value += fixmatch_->local_loss(*model_, set_.ids, batch, items, epoch);
    return value;
  }

  nlohmann::json evaluate(const comm::Communicator& world, const std::filesystem::path& pool,
                          TrainSummary& summary) override {
    summary.eval = evaluate_loaded(world, pool, *model_);
    return {{"items", summary.eval.items},
            {"accuracy", summary.eval.accuracy},
            {"calibration_error", summary.eval.calibration_error},
            {"class_accuracy", summary.eval.class_accuracy}};
  }

 private:
  const TrainOptions& options_;
  LabeledSet set_;
  std::vector<float> weights_by_class_;
  Augment augment_;
  std::optional<model::LoadedModel> model_;
  torch::Tensor input_;
  std::optional<FixMatchLoss> fixmatch_;
};

}  // namespace

std::unique_ptr<TrainingTask> classification_task(const TrainOptions& options) {
  return std::make_unique<ClassificationTask>(options);
}

}  // namespace quarry::train

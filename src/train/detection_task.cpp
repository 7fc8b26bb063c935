// Training a detector (CenterNet-style heads) on a detection or keypoint pool: the items'
// ground-truth objects become heatmap, size and offset targets at stride 4 after an augmentation
// that moves them with the pixels; the loss is CenterNet's (detection_loss).
#include <torch/torch.h>

#include <optional>

#include "core/error.hpp"
#include "model/loaded_model.hpp"
#include "train/detection_eval.hpp"
#include "train/detection_loss.hpp"
#include "train/detection_set.hpp"
#include "train/training_task.hpp"

namespace quarry::train {

namespace {

// Training needs the raw maps of a heads(x) method that fit the pool: InputError otherwise,
// naming the model and what is wrong.
void check_heads(torch::jit::Module& module, const DetectionSet& set, const std::string& name) {
  if (!module.find_method("heads"))
    throw InputError(name, "heads()",
                     "is missing: quarry can score and evaluate this detection model but cannot "
                     "train it without the raw training maps (docs/model.md, detection models)",
                     "start from `quarry model init --arch centernet-small --pool POOL.h5`");
  // forward already ran on this shape when the model loaded: heads() is checked for its maps.
  const auto shape = set.target_shape();
  c10::InferenceMode guard;
  parse_heads(
      module.run_method("heads", torch::zeros({2, set.item_shape[0], shape.height, shape.width})),
      shape, 2, name);
}

class DetectionTask final : public TrainingTask {
 public:
  explicit DetectionTask(const TrainOptions& options)
      : options_(options), set_(load_detection_set(options.pool, options.labels)) {
    augment_.enabled = options.augment;
    augment_.flip_pairs = set_.task.flip_pairs;
  }

  std::span<const std::uint64_t> ids() const override { return set_.ids; }
  const std::string& ledger_sha256() const override { return set_.ledger_sha256; }
  torch::jit::Module& module() override { return model_->module(); }

  void load_model(const std::filesystem::path& path) override {
    model_.emplace(load_detector(path, options_.pool));
    check_heads(model_->module(), set_, path.string());
  }

  double local_loss(std::span<const std::size_t> batch, std::span<const std::size_t> items,
                    int epoch) override {
    const auto count = static_cast<std::int64_t>(items.size());
    if (!input_.defined() || input_.size(0) < count)
      input_ = torch::zeros({count, set_.item_shape[0], set_.item_shape[1], set_.item_shape[2]});
    const auto affine = model_->input_affine();
    const auto targets = fill_detection_batch(set_, batch, items, augment_, options_.seed, epoch,
                                              affine.scale, affine.shift, input_.data_ptr<float>());
    const auto heads = parse_heads(module().run_method("heads", input_.narrow(0, 0, count)),
                                   set_.target_shape(), count, options_.model.string());
    const auto loss = detection_loss(heads, targets);
    loss.total.backward();
    return loss.total.item<double>();
  }

  nlohmann::json evaluate(const comm::Communicator& world, const std::filesystem::path& pool,
                          TrainSummary& summary) override {
    summary.detection = evaluate_detector(world, pool, *model_);
    return detection_eval_json(summary.detection);
  }

 private:
  const TrainOptions& options_;
  DetectionSet set_;
  DetectionAugment augment_;
  std::optional<model::LoadedModel> model_;
  torch::Tensor input_;
};

}  // namespace

std::unique_ptr<TrainingTask> detection_task(const TrainOptions& options) {
  return std::make_unique<DetectionTask>(options);
}

}  // namespace quarry::train

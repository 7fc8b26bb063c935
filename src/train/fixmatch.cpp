#include "train/fixmatch.hpp"

#include "core/error.hpp"
#include "core/seeded.hpp"
#include "files/pool/schema.hpp"
#include "train/ledger_rows.hpp"
#include "train/pseudo_labels.hpp"
#include "train/strong_augment.hpp"

namespace quarry::train {

namespace {

LabeledSet load_unlabeled(const TrainOptions& options, const LabeledSet& labeled) {
  const auto pool = pool::PoolFile::open(options.pool);
  if (pool.meta().shape.kind != pool::Kind::images)
    throw UsageError("--unlabeled-pool needs a pool of uint8 images (strong augmentation)");
  const auto ids = pool.ids().read_all<std::uint64_t>();
  LabeledSet set;
  std::vector<std::uint64_t> rows;
  for (std::size_t row = 0; row < ids.size(); ++row)
    if (!std::binary_search(labeled.ids.begin(), labeled.ids.end(), ids[row])) {
      rows.push_back(row);
      set.ids.push_back(ids[row]);
    }
  set.item_shape = labeled.item_shape;
  set.classes = labeled.classes;
  set.pixels = read_item_rows<std::uint8_t>(pool, rows);
  return set;
}

torch::Tensor sized(torch::Tensor& buffer, std::int64_t count,
                    const std::vector<std::int64_t>& item_shape) {
  if (!buffer.defined() || buffer.size(0) < count) {
    std::vector<std::int64_t> shape{count};
    shape.insert(shape.end(), item_shape.begin(), item_shape.end());
    buffer = torch::zeros(shape);
  }
  return buffer.narrow(0, 0, count);
}

}  // namespace

FixMatchLoss::FixMatchLoss(const TrainOptions& options, const LabeledSet& labeled,
                           const Augment& weak)
    : options_(options), set_(load_unlabeled(options, labeled)), weak_(weak) {
  weak_.enabled = true;  // the weak view is the supervised augmentation, on for the targets
}

std::size_t FixMatchLoss::step_of(std::span<const std::uint64_t> labeled_ids, std::size_t first,
                                  int epoch) {
  if (order_epoch_ != epoch) {
    const auto order = epoch_order(labeled_ids, options_.seed, epoch);
    labeled_position_.assign(order.size(), 0);
    for (std::size_t p = 0; p < order.size(); ++p) labeled_position_[order[p]] = p;
    unlabeled_order_ = epoch_order(
        set_.ids, derive_seed(options_.seed, Purpose::unlabeled_order, std::uint64_t(epoch)),
        epoch);
    order_epoch_ = epoch;
  }
  return labeled_position_[first] / std::size_t(options_.batch);
}

double FixMatchLoss::local_loss(model::LoadedModel& model,
                                std::span<const std::uint64_t> labeled_ids,
                                std::span<const std::size_t> batch,
                                std::span<const std::size_t> mine, int epoch) {
  if (set_.size() == 0 || mine.empty()) return 0.0;
  const std::size_t ratio = std::size_t(options_.unlabeled_ratio);
  const std::size_t step = step_of(labeled_ids, batch.front(), epoch);
  const std::size_t global = ratio * batch.size();
  const std::size_t offset = std::size_t(mine.data() - batch.data()) * ratio;
  std::vector<std::size_t> items(mine.size() * ratio);
  for (std::size_t j = 0; j < items.size(); ++j)
    items[j] =
        unlabeled_order_[(step * ratio * std::size_t(options_.batch) + offset + j) % set_.size()];
  const auto count = std::int64_t(items.size());
  const auto affine = model.input_affine();
  // Weak views and their targets, without gradients and without dropout.
  auto weak = sized(weak_input_, count, set_.item_shape);
  fill_batch(set_, items, weak_, options_.seed, epoch, affine.scale, affine.shift,
             weak.data_ptr<float>());
  PseudoLabels targets;
  {
    torch::NoGradGuard no_grad;
    model.module().eval();
    auto out = model::parse_output(model.module().forward({weak}), options_.model.string());
    model.module().train(true);
    auto probs = torch::softmax(out.logits, 1).contiguous();
    targets = pseudo_labels(std::span(probs.data_ptr<float>(), std::size_t(probs.numel())),
                            std::size_t(probs.size(1)), options_.unlabeled_threshold);
  }
  if (targets.confident == 0) return 0.0;
  // Strong views of the same items.
  auto strong = sized(strong_input_, count, set_.item_shape);
  const ImageShape shape{int(set_.item_shape[0]), int(set_.item_shape[1]), int(set_.item_shape[2])};
  const auto stream =
      derive_seed(options_.seed, Purpose::strong_augmentation, std::uint64_t(epoch));
  std::vector<std::uint8_t> view(std::size_t(shape.elements()));
  float* dst = strong.data_ptr<float>();
  for (std::size_t b = 0; b < items.size(); ++b) {
    strong_augment(set_.pixels.data() + items[b] * view.size(), view.data(), shape, options_.hflip,
                   keyed_hash(stream, set_.ids[items[b]]));
    for (std::size_t i = 0; i < view.size(); ++i)
      dst[b * view.size() + i] = float(view[i]) * affine.scale + affine.shift;
  }
  auto out = model::parse_output(model.module().forward({strong}), options_.model.string());
  auto losses = torch::nn::functional::cross_entropy(
      out.logits, torch::tensor(targets.target),
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  auto loss = (losses * torch::tensor(targets.mask)).sum() / double(global);
  loss.backward();
  return loss.item<double>();
}

}  // namespace quarry::train

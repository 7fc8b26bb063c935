#pragma once
// Semi-supervised training on the pool's unlabeled items, FixMatch (Sohn et al. 2020): for every
// labeled batch of B items, ratio x B unlabeled items; the weak view's (the supervised
// augmentation's) prediction, where its probability reaches the threshold, is the target of the
// strong view (strong_augment.hpp), weighted 1 against the supervised loss. Unlabeled items are
// drawn as supervised training draws: an epoch order keyed by (seed, epoch, id), step s taking
// the next ratio x B of it (wrapping), and each rank its share of that global batch in
// proportion to its share of the labeled batch, with the loss normalised over the global batch,
// so any rank count takes the same step. Weak views are predicted in eval mode (no dropout), so
// the targets do not depend on the ranks' dropout masks. Includes torch.
#include <torch/torch.h>

#include <span>
#include <unordered_map>
#include <vector>

#include "model/loaded_model.hpp"
#include "train/batches.hpp"
#include "train/labeled_set.hpp"
#include "train/trainer.hpp"

namespace quarry::train {

class FixMatchLoss {
 public:
  // Loads the pool's items that are not in `labeled` (uint8 images only: UsageError otherwise).
  FixMatchLoss(const TrainOptions& options, const LabeledSet& labeled, const Augment& weak);

  // Forward and backward of this rank's share of the unlabeled batch that goes with the labeled
  // batch `batch` (its share `mine`); returns that share of the unlabeled loss.
  double local_loss(model::LoadedModel& model, std::span<const std::uint64_t> labeled_ids,
                    std::span<const std::size_t> batch, std::span<const std::size_t> mine,
                    int epoch);

  std::size_t unlabeled() const { return set_.size(); }

 private:
  // The global step of a labeled batch: where its first item is in the epoch's order.
  std::size_t step_of(std::span<const std::uint64_t> labeled_ids, std::size_t first, int epoch);

  const TrainOptions& options_;
  LabeledSet set_;  // the unlabeled items (no labels)
  Augment weak_;
  int order_epoch_ = -1;
  std::vector<std::size_t> unlabeled_order_;
  std::vector<std::size_t> labeled_position_;  // index into ids -> position in the epoch order
  torch::Tensor weak_input_, strong_input_;
};

}  // namespace quarry::train

#include "train/detection_loss.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace quarry::train {

namespace {

torch::Tensor head(const c10::Dict<c10::IValue, c10::IValue>& dict, const std::string& key,
                   const std::vector<std::int64_t>& want, const std::string& model) {
  const auto found = dict.find(key);
  if (found == dict.end() || !found->value().isTensor())
    throw InputError(model, "heads()",
                     fmt::format("returned no tensor '{}': training needs center, size and offset "
                                 "(and keypoint_heatmap, keypoint_offset for keypoint pools)",
                                 key),
                     "start from `quarry model init --arch centernet-small`");
  auto tensor = found->value().toTensor();
  if (tensor.sizes().vec() != want)
    throw InputError(model, fmt::format("heads()['{}']", key),
                     fmt::format("has shape [{}], expected [{}] for this pool",
                                 fmt::join(tensor.sizes(), ","), fmt::join(want, ",")));
  return tensor;
}

torch::Tensor as_tensor(const std::vector<float>& values, std::vector<std::int64_t> shape,
                        const torch::Device& device) {
  return torch::from_blob(const_cast<float*>(values.data()), shape, torch::kFloat32)
      .to(device, /*non_blocking=*/false, /*copy=*/true);
}

torch::Tensor as_index(const std::vector<std::int64_t>& values, const torch::Device& device) {
  return torch::from_blob(const_cast<std::int64_t*>(values.data()),
                          {static_cast<std::int64_t>(values.size())}, torch::kInt64)
      .to(device, false, true);
}

// Sum of |prediction - target| * weight over the listed cells of a [B, 2 * maps, h, w] head whose
// pairs of channels are (x, y) per map, gathered as rows of [B * maps * h * w, 2].
torch::Tensor l1_at(const torch::Tensor& prediction, const std::vector<std::int64_t>& cells,
                    const std::vector<float>& target, const std::vector<float>& weight) {
  if (cells.empty()) return prediction.sum() * 0;  // keeps the graph (and the gradient) defined
  const auto sizes = prediction.sizes();
  auto rows = prediction.reshape({sizes[0], sizes[1] / 2, 2, sizes[2], sizes[3]})
                  .permute({0, 1, 3, 4, 2})
                  .reshape({-1, 2});
  const auto device = prediction.device();
  const auto n = static_cast<std::int64_t>(cells.size());
  auto picked = rows.index_select(0, as_index(cells, device));
  auto w = as_tensor(weight, {n, 1}, device);
  return ((picked - as_tensor(target, {n, 2}, device)).abs() * w).sum();
}

}  // namespace

DetectionHeads parse_heads(const c10::IValue& value, const TargetShape& shape, std::int64_t items,
                           const std::string& model) {
  if (!value.isGenericDict())
    throw InputError(model, "heads()", "did not return a dict of tensors",
                     "start from `quarry model init --arch centernet-small`");
  const auto dict = value.toGenericDict();
  const std::int64_t h = shape.out_height(), w = shape.out_width();
  DetectionHeads heads;
  heads.center = head(dict, "center", {items, shape.classes, h, w}, model);
  heads.size = head(dict, "size", {items, 2, h, w}, model);
  heads.offset = head(dict, "offset", {items, 2, h, w}, model);
  if (shape.keypoints > 0) {
    heads.keypoint_heatmap = head(dict, "keypoint_heatmap", {items, shape.keypoints, h, w}, model);
    heads.keypoint_offset =
        head(dict, "keypoint_offset", {items, 2 * shape.keypoints, h, w}, model);
  }
  return heads;
}

torch::Tensor focal_loss(const torch::Tensor& logits, const torch::Tensor& target,
                         const torch::Tensor& weight, double normaliser) {
  const auto p = torch::sigmoid(logits);
  const auto positive = target.eq(1.0).to(logits.dtype());
  const auto positive_terms = (1 - p).pow(2) * torch::log_sigmoid(logits) * positive;
  const auto negative_terms =
      (1 - target).pow(4) * p.pow(2) * torch::log_sigmoid(-logits) * (1 - positive);
  return -((positive_terms + negative_terms) * weight).sum() / std::max(normaliser, 1.0);
}

DetectionLoss detection_loss(const DetectionHeads& heads, const DetectionTargets& targets,
                             const LossWeights& weights) {
  const auto& shape = targets.shape;
  const auto device = heads.center.device();
  const std::int64_t b = targets.items, h = shape.out_height(), w = shape.out_width();
  const double objects = std::max(targets.objects, 1.0);
  DetectionLoss loss;
  auto center =
      focal_loss(heads.center, as_tensor(targets.center, {b, shape.classes, h, w}, device),
                 as_tensor(targets.center_weight, {b, shape.classes, h, w}, device), objects);
  // L1 per coordinate, averaged over the objects' coordinates as CenterNet's RegL1Loss does.
  auto size =
      l1_at(heads.size, targets.box_cell, targets.box_size, targets.box_weight) / (2 * objects);
  auto offset =
      l1_at(heads.offset, targets.box_cell, targets.box_offset, targets.box_weight) / (2 * objects);
  loss.total = center + weights.size * size + weights.offset * offset;
  if (shape.keypoints > 0) {
    const double visible = std::max(targets.visible_keypoints, 1.0);
    auto keypoint =
        focal_loss(heads.keypoint_heatmap,
                   as_tensor(targets.keypoint_heat, {b, shape.keypoints, h, w}, device),
                   as_tensor(targets.keypoint_weight, {b, shape.keypoints, h, w}, device), visible);
    auto keypoint_offset = l1_at(heads.keypoint_offset, targets.keypoint_cell,
                                 targets.keypoint_offset, targets.keypoint_offset_weight) /
                           (2 * visible);
    loss.total =
        loss.total + weights.keypoint * keypoint + weights.keypoint_offset * keypoint_offset;
    loss.keypoint = keypoint.item<double>();
    loss.keypoint_offset = keypoint_offset.item<double>();
  }
  loss.center = center.item<double>();
  loss.size = size.item<double>();
  loss.offset = offset.item<double>();
  return loss;
}

}  // namespace quarry::train

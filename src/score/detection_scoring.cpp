// The scoring engine on pools with objects: one forward pass per batch (two with
// det_localization, T more with Monte-Carlo dropout), the detections above the confidence
// floor appended to the unit in decreasing confidence, and the det_* acquisition scores.
#include <torch/torch.h>

#include <cstring>

#include "core/error.hpp"
#include "score/detection_acquisition.hpp"
#include "score/engine.hpp"
#include "score/host_copy.hpp"

namespace quarry::score {

namespace {

torch::Tensor host_float(const torch::Tensor& t) {
  return t.to(torch::kCPU).to(torch::kFloat32).contiguous();
}

// Per image, per class: the confidence of its most confident kept detection of that class (0
// where none): what /probs holds for pools with objects, and the embedding of a model that
// returns none.
torch::Tensor class_presence(const torch::Tensor& labels, const torch::Tensor& weights,
                             std::int64_t classes) {
  auto one_hot = torch::one_hot(labels.clamp(0, classes - 1), classes).to(weights.dtype());
  return std::get<0>((one_hot * weights.unsqueeze(2)).max(1));
}

// Appends each row's kept detections (most confident first) to the unit, and its /pred.
void append_detections(const model::DetectionOutput& out, const torch::Tensor& weights,
                       std::size_t offset, UnitResult& unit) {
  auto& d = unit.detections;
  const auto rows = weights.size(0), slots = weights.size(1);
  const auto w = host_float(weights);
  const auto boxes = host_float(out.boxes);
  const auto labels = out.labels.to(torch::kCPU).contiguous();
  const auto probs = d.has_probs ? host_float(out.probs) : torch::Tensor();
  const auto keypoints = d.keypoints > 0 ? host_float(out.keypoints) : torch::Tensor();
  const std::int64_t classes = static_cast<std::int64_t>(unit.classes);
  const std::int64_t keypoint_values = static_cast<std::int64_t>(d.keypoints) * 3;
  for (std::int64_t row = 0; row < rows; ++row) {
    const auto kept = kept_in_order(w.data_ptr<float>() + row * slots, slots);
    const std::int64_t* row_labels = labels.data_ptr<std::int64_t>() + row * slots;
    unit.pred[offset + static_cast<std::size_t>(row)] =
        kept.empty() ? -1 : static_cast<std::int32_t>(row_labels[kept.front()]);
    for (auto slot : kept) {
      const std::int64_t at = row * slots + slot;
      const float* box = boxes.data_ptr<float>() + at * 4;
      d.boxes.insert(d.boxes.end(), box, box + 4);
      d.labels.push_back(static_cast<std::int32_t>(row_labels[slot]));
      d.confidence.push_back(to_float16(w.data_ptr<float>()[at]));
      if (d.has_probs)
        for (std::int64_t c = 0; c < classes; ++c)
          d.probs.push_back(to_float16(probs.data_ptr<float>()[at * classes + c]));
      const float* keypoint =
          keypoints.defined() ? keypoints.data_ptr<float>() + at * keypoint_values : nullptr;
      if (keypoint)
        d.keypoints_xyc.insert(d.keypoints_xyc.end(), keypoint, keypoint + keypoint_values);
    }
    d.offsets.push_back(d.total());
  }
}

}  // namespace

torch::Tensor ScoringEngine::kept_weights(const model::DetectionOutput& out) const {
  const auto scores = out.scores.to(torch::kFloat32);
  // NaN compares false: a broken score is never kept (and its item is reported).
  return torch::where(scores >= settings_.min_confidence, scores, torch::zeros_like(scores));
}

void ScoringEngine::check_detections(const model::DetectionOutput& out, const BatchView& batch,
                                     std::int64_t classes) {
  const auto all_rows = torch::ones({out.boxes.size(0)}, out.scores.options().dtype(torch::kBool));
  auto finite = [&](const torch::Tensor& t) {
    return t.defined() ? torch::isfinite(t).flatten(1).all(1) : all_rows;
  };
  const auto ok = finite(out.boxes) & finite(out.scores) & finite(out.probs) &
                  finite(out.keypoints) & finite(out.heatmaps);
  const auto kept = out.scores >= settings_.min_confidence;
  const auto bad_label = (kept & ((out.labels < 0) | (out.labels >= classes))).any(1);
  const auto broken = (~ok).nonzero().flatten().to(torch::kCPU);
  for (std::int64_t i = 0; i < broken.size(0); ++i)
    nonfinite_.push_back(batch.ids[broken[i].item<std::int64_t>()]);
  const auto mislabelled = (bad_label & ok).nonzero().flatten().to(torch::kCPU);
  for (std::int64_t i = 0; i < mislabelled.size(0); ++i)
    bad_labels_.push_back(batch.ids[mislabelled[i].item<std::int64_t>()]);
}

torch::Tensor ScoringEngine::flip_instability(const torch::Tensor& input,
                                              const model::DetectionOutput& out,
                                              const torch::Tensor& weights, std::int64_t count) {
  auto flipped = model_.forward_prepared(torch::flip(input, {3})).detections->narrow(count);
  const double width = static_cast<double>(input.size(3));
  // x0' = W - x1, x1' = W - x0 maps the flipped image's boxes back.
  auto back = flipped.boxes
                  .index({torch::indexing::Slice(), torch::indexing::Slice(),
                          torch::tensor({2, 1, 0, 3}, torch::kLong).to(input.device())})
                  .to(torch::kFloat32)
                  .clone();
  back.select(2, 0).mul_(-1).add_(width);
  back.select(2, 2).mul_(-1).add_(width);
  return localization_instability(host_float(out.boxes), host_float(weights), host_float(back),
                                  host_float(kept_weights(flipped)))
      .to(input.device());
}

void ScoringEngine::score_detections(const torch::Tensor& input, const BatchView& batch,
                                     UnitResult& unit) {
  const auto count = static_cast<std::int64_t>(batch.count);
  const std::size_t offset = batch.first_row - unit.first_row;
  const auto classes = static_cast<std::int64_t>(unit.classes);
  auto output = model_.forward_prepared(input);
  const auto out = output.detections->narrow(count);
  check_detections(out, batch, classes);
  const auto weights = kept_weights(out);
  std::memcpy(unit.ids.data() + offset, batch.ids, batch.count * sizeof(std::uint64_t));
  append_detections(out, weights, offset, unit);
  const auto presence = class_presence(out.labels, weights, classes);
  copy_half(presence, unit.probs.data() + offset * unit.classes);
  auto embedding = output.embedding.defined() ? output.embedding.narrow(0, 0, count) : presence;
  copy_half(embedding, unit.embeddings.data() + offset * unit.embedding_dim);

  DetectionBatch detections{
      weights,
      out.probs.defined() ? out.probs.to(torch::kFloat32) : out.probs,
      out.keypoints.defined() ? out.keypoints.to(torch::kFloat32) : out.keypoints,
      out.heatmaps.defined() ? out.heatmaps.to(torch::kFloat32) : out.heatmaps,
      {},
      {}};
  if (settings_.mc_samples > 0 && out.heatmaps.defined())
    detections.heatmap_samples = monte_carlo(
        input, batch.first_row, count, [](const model::ModelOutput& o, std::int64_t rows) {
          return o.detections->heatmaps.narrow(0, 0, rows).to(torch::kFloat32);
        });
  if (flip_) detections.localization = flip_instability(input, out, weights, count);
  for (std::size_t i = 0; i < acquire_detections_.size(); ++i)
    copy_to_host(acquire_detections_[i](detections).to(torch::kFloat32),
                 unit.scores[i].data() + offset);
}

}  // namespace quarry::score

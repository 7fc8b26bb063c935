#include "score/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "core/seeded.hpp"
#include "files/scores/acquisitions.hpp"
#include "score/acquisition.hpp"
#include "score/host_copy.hpp"

namespace quarry::score {

namespace {

using AcquisitionFunction = torch::Tensor (*)(const torch::Tensor& probs,
                                              const torch::Tensor& samples);

// The function behind each name of files/scores/acquisitions.hpp (a switch: a name added there
// without a function here is a compile error, -Werror=switch).
AcquisitionFunction function_of(Acquisition acquisition) {
  switch (acquisition) {
    case Acquisition::margin:
      return [](const torch::Tensor& p, const torch::Tensor&) { return margin(p); };
    case Acquisition::entropy:
      return [](const torch::Tensor& p, const torch::Tensor&) { return entropy(p); };
    case Acquisition::least_confidence:
      return [](const torch::Tensor& p, const torch::Tensor&) { return least_confidence(p); };
    case Acquisition::bald:
      return [](const torch::Tensor&, const torch::Tensor& s) { return bald(s); };
    case Acquisition::variation_ratio:
      return [](const torch::Tensor&, const torch::Tensor& s) { return variation_ratio(s); };
    // Scores of pools with objects: detection_scoring.cpp.
    case Acquisition::det_margin_max:
    case Acquisition::det_margin_mean:
    case Acquisition::det_margin_sum:
    case Acquisition::det_entropy_max:
    case Acquisition::det_entropy_mean:
    case Acquisition::det_entropy_sum:
    case Acquisition::det_keypoint_max:
    case Acquisition::det_keypoint_mean:
    case Acquisition::det_keypoint_sum:
    case Acquisition::det_heatmap_entropy:
    case Acquisition::det_heatmap_bald:
    case Acquisition::det_localization:
      return nullptr;
  }
  throw Error("unknown acquisition function");
}

}  // namespace

namespace {

// A mixed 64-bit key for the dropout masks of one pass over one batch: depends only on the seed
// and the batch's place in the pool, never on ranks or threads.
std::uint64_t pass_seed(std::uint64_t seed, std::uint64_t first_row, int pass) {
  return keyed_hash(derive_seed(seed, Purpose::scoring_dropout, std::uint64_t(pass)), first_row);
}

}  // namespace

ScoringEngine::ScoringEngine(model::LoadedModel& model, EngineSettings settings,
                             torch::Device device)
    : model_(model), settings_(std::move(settings)) {
  for (const auto& name : settings_.acquisitions) {
    const auto& info = acquisition_named(name);
    if (model.detects()) {
      acquire_detections_.push_back(detection_function_of(info.id));
      flip_ = flip_ || info.needs_flip;
    } else {
      acquire_.push_back(function_of(info.id));
    }
  }
#ifdef QUARRY_WITH_CUDA
  if (device.is_cuda())
    input_ = model::make_cuda_input({settings_.item_shape, settings_.batch}, model.input_affine(),
                                    device);
#endif
  if (!input_) {
    if (!device.is_cpu())
      throw Error("this quarry was built without CUDA support; cannot use " + device.str());
    input_ = model::make_cpu_input({settings_.item_shape, settings_.batch}, model.input_affine());
  }
}

void ScoringEngine::warm_up() {
  for (int i = 0; i < 2; ++i) model_.forward_prepared(input_->padding_batch());
}

void ScoringEngine::score(const BatchView& batch, UnitResult& unit) {
  const auto& input = input_->prepare(batch);
  if (model_.detects()) return score_detections(input, batch, unit);
  const auto count = static_cast<std::int64_t>(batch.count);
  const std::size_t offset = batch.first_row - unit.first_row;
  auto output = model_.forward_prepared(input);
  auto logits = output.logits.narrow(0, 0, count);
  check_finite(logits, batch);
  auto probs = torch::softmax(logits, 1).contiguous();
  copy_to_host(probs.argmax(1).to(torch::kInt32), unit.pred.data() + offset);
  std::memcpy(unit.ids.data() + offset, batch.ids, batch.count * sizeof(std::uint64_t));
  copy_half(probs, unit.probs.data() + offset * unit.classes);
  // A model that returns logits only is described by its probabilities.
  auto embedding = output.embedding.defined() ? output.embedding.narrow(0, 0, count) : probs;
  copy_half(embedding, unit.embeddings.data() + offset * unit.embedding_dim);

  torch::Tensor samples;
  if (settings_.mc_samples > 0)
    samples = monte_carlo(input, batch.first_row, count,
                          [](const model::ModelOutput& out, std::int64_t rows) {
                            return torch::softmax(out.logits.narrow(0, 0, rows), 1);
                          });
  for (std::size_t i = 0; i < acquire_.size(); ++i)
    copy_to_host(acquire_[i](probs, samples).to(torch::kFloat32), unit.scores[i].data() + offset);
}

void ScoringEngine::check_finite(const torch::Tensor& logits, const BatchView& batch) {
  if (torch::isfinite(logits).all().item<bool>()) return;
  auto bad_rows = (~torch::isfinite(logits)).any(1).nonzero().flatten().to(torch::kCPU);
  for (std::int64_t i = 0; i < bad_rows.size(0); ++i)
    nonfinite_.push_back(batch.ids[bad_rows[i].item<std::int64_t>()]);
}

namespace {
// "N item(s), ids 5, 17, 433" (the first 20 ids).
std::string item_list(const std::vector<std::uint64_t>& ids) {
  const std::size_t shown = std::min<std::size_t>(ids.size(), 20);
  return fmt::format("{} item(s), ids {}{}", ids.size(),
                     fmt::join(ids.begin(), ids.begin() + static_cast<long>(shown), ", "),
                     ids.size() > shown ? ", ..." : "");
}
}  // namespace

void ScoringEngine::throw_if_nonfinite(const std::string& model_name) const {
  if (!bad_labels_.empty())
    throw InputError(
        model_name, "forward output",
        "labels a kept detection with a class outside the pool's for " + item_list(bad_labels_),
        "labels are the pool's class indices 0..C-1");
  if (nonfinite_.empty()) return;
  throw InputError(model_name, "forward output", "is NaN or infinite for " + item_list(nonfinite_),
                   "check the model's weights and those items' pixels");
}

torch::Tensor ScoringEngine::monte_carlo(const torch::Tensor& input, std::uint64_t first_row,
                                         std::int64_t count, Sample sample) {
  std::vector<torch::Tensor> passes;
  for (int pass = 0; pass < settings_.mc_samples; ++pass) {
    torch::manual_seed(pass_seed(settings_.seed, first_row, pass));
    passes.push_back(sample(model_.forward_stochastic(input), count));
  }
  return torch::stack(passes);
}

}  // namespace quarry::score

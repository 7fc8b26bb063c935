#include "score/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "core/seeded.hpp"
#include "score/acquisition.hpp"

namespace quarry::score {

namespace {

using AcquisitionFunction = torch::Tensor (*)(const torch::Tensor& probs,
                                              const torch::Tensor& samples);

// Every acquisition function, one row each: its name (on the command line, in quarry.ini and as
// /scores/<name> in the scores file), whether it needs Monte-Carlo samples, and the function.
struct AcquisitionEntry {
  const char* name;
  bool needs_samples;
  AcquisitionFunction run;
};

const AcquisitionEntry kAcquisitions[] = {
    {"margin", false, [](const torch::Tensor& p, const torch::Tensor&) { return margin(p); }},
    {"entropy", false, [](const torch::Tensor& p, const torch::Tensor&) { return entropy(p); }},
    {"least_confidence", false,
     [](const torch::Tensor& p, const torch::Tensor&) { return least_confidence(p); }},
    {"bald", true, [](const torch::Tensor&, const torch::Tensor& s) { return bald(s); }},
    {"variation_ratio", true,
     [](const torch::Tensor&, const torch::Tensor& s) { return variation_ratio(s); }},
};

// UsageError listing the known names when `name` is none of them.
const AcquisitionEntry& acquisition_entry(const std::string& name) {
  for (const auto& entry : kAcquisitions)
    if (name == entry.name) return entry;
  throw UsageError(fmt::format("'{}' is not an acquisition function; choose one of {}", name,
                               fmt::join(known_acquisitions(), ", ")));
}

}  // namespace

const std::vector<std::string>& known_acquisitions() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const auto& entry : kAcquisitions) all.emplace_back(entry.name);
    return all;
  }();
  return names;
}

bool needs_samples(const std::string& acquisition) {
  return acquisition_entry(acquisition).needs_samples;
}

torch::Device choose_device(int local_rank) {
  if (!torch::cuda::is_available()) return torch::kCPU;
  const int devices = static_cast<int>(torch::cuda::device_count());
  return {torch::kCUDA, static_cast<c10::DeviceIndex>(local_rank % devices)};
}

namespace {

class CpuInput : public DeviceInput {
 public:
  CpuInput(const EngineSettings& settings, model::InputAffine affine) : affine_(affine) {
    std::vector<std::int64_t> shape{settings.batch};
    shape.insert(shape.end(), settings.item_shape.begin(), settings.item_shape.end());
    input_ = torch::zeros(shape);  // allocated once; every batch is converted into it
    elements_ = static_cast<std::size_t>(input_.numel() / settings.batch);
  }

  // uint8 (or float features) to float in one pass with the normalisation fused in; padding
  // rows of a short last batch are zeroed.
  const torch::Tensor& prepare(const BatchView& batch) override {
    float* out = input_.data_ptr<float>();
    const std::size_t n = batch.count * elements_;
    const float a = affine_.scale, b = affine_.shift;
    if (batch.pixels) {
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(batch.pixels[i]) * a + b;
    } else {
      for (std::size_t i = 0; i < n; ++i) out[i] = batch.features[i] * a + b;
    }
    std::fill(out + n, out + input_.numel(), 0.0f);
    return input_;
  }

  const torch::Tensor& padding_batch() override {
    input_.zero_();
    return input_;
  }

 private:
  model::InputAffine affine_;
  torch::Tensor input_;
  std::size_t elements_ = 0;
};

// A mixed 64-bit key for the dropout masks of one pass over one batch: depends only on the seed
// and the batch's place in the pool, never on ranks or threads.
std::uint64_t pass_seed(std::uint64_t seed, std::uint64_t first_row, int pass) {
  return keyed_hash(derive_seed(seed, Purpose::scoring_dropout, std::uint64_t(pass)), first_row);
}

// Host copy of `values` in fp16 (round to nearest even, as to_float16 does).
void copy_half(const torch::Tensor& values, Float16* out) {
  auto half = values.to(torch::kCPU).to(torch::kHalf).contiguous();
  std::memcpy(static_cast<void*>(out), half.data_ptr<at::Half>(), half.numel() * sizeof(Float16));
}

template <class T>
void copy_to_host(const torch::Tensor& values, T* out) {
  auto host = values.to(torch::kCPU).contiguous();
  std::memcpy(out, host.data_ptr<T>(), host.numel() * sizeof(T));
}

}  // namespace

std::unique_ptr<DeviceInput> make_cpu_input(const EngineSettings& settings,
                                            model::InputAffine affine) {
  return std::make_unique<CpuInput>(settings, affine);
}

ScoringEngine::ScoringEngine(model::LoadedModel& model, EngineSettings settings,
                             torch::Device device)
    : model_(model), settings_(std::move(settings)) {
  for (const auto& name : settings_.acquisitions) acquire_.push_back(acquisition_entry(name).run);
#ifdef QUARRY_WITH_CUDA
  if (device.is_cuda()) input_ = make_cuda_input(settings_, model.input_affine(), device);
#endif
  if (!input_) {
    if (!device.is_cpu())
      throw Error("this quarry was built without CUDA support; cannot use " + device.str());
    input_ = make_cpu_input(settings_, model.input_affine());
  }
}

void ScoringEngine::warm_up() {
  for (int i = 0; i < 2; ++i) model_.forward_prepared(input_->padding_batch());
}

void ScoringEngine::score(const BatchView& batch, UnitResult& unit) {
  const auto& input = input_->prepare(batch);
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
  if (settings_.mc_samples > 0) samples = monte_carlo(input, batch.first_row, count);
  for (std::size_t i = 0; i < acquire_.size(); ++i)
    copy_to_host(acquire_[i](probs, samples).to(torch::kFloat32), unit.scores[i].data() + offset);
}

void ScoringEngine::check_finite(const torch::Tensor& logits, const BatchView& batch) {
  if (torch::isfinite(logits).all().item<bool>()) return;
  auto bad_rows = (~torch::isfinite(logits)).any(1).nonzero().flatten().to(torch::kCPU);
  for (std::int64_t i = 0; i < bad_rows.size(0); ++i)
    nonfinite_.push_back(batch.ids[bad_rows[i].item<std::int64_t>()]);
}

void ScoringEngine::throw_if_nonfinite(const std::string& model_name) const {
  if (nonfinite_.empty()) return;
  const std::size_t shown = std::min<std::size_t>(nonfinite_.size(), 20);
  throw InputError(model_name, "forward output",
                   fmt::format("is NaN or infinite for {} item(s), ids {}{}", nonfinite_.size(),
                               fmt::join(nonfinite_.begin(),
                                         nonfinite_.begin() + static_cast<long>(shown), ", "),
                               nonfinite_.size() > shown ? ", ..." : ""),
                   "check the model's weights and those items' pixels");
}

torch::Tensor ScoringEngine::monte_carlo(const torch::Tensor& input, std::uint64_t first_row,
                                         std::int64_t count) {
  std::vector<torch::Tensor> passes;
  for (int pass = 0; pass < settings_.mc_samples; ++pass) {
    torch::manual_seed(pass_seed(settings_.seed, first_row, pass));
    auto logits = model_.forward_stochastic(input).logits.narrow(0, 0, count);
    passes.push_back(torch::softmax(logits, 1));
  }
  return torch::stack(passes);
}

}  // namespace quarry::score

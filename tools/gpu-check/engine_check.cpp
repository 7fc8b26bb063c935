// Scores a synthetic batch on every visible GPU with the scoring engine and compares each GPU's
// results with the CPU's (predictions, and probabilities within fp16 rounding). Built by
// tools/gpu-check against a CUDA LibTorch; on a CPU-only LibTorch it checks the CPU path alone.
#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "model/loaded_model.hpp"
#include "model/threads.hpp"
#include "score/engine.hpp"

namespace {

using namespace quarry;

// A small CNN with dropout and a 128-d embedding, as `quarry model init` builds, in TorchScript.
void write_model(const std::filesystem::path& path) {
  torch::manual_seed(1);
  torch::jit::Module m("CheckModel");
  m.register_parameter("c1", torch::randn({32, 1, 3, 3}) * 0.3, false);
  m.register_parameter("c2", torch::randn({64, 32, 3, 3}) * 0.06, false);
  m.register_parameter("f1", torch::randn({128, 64 * 7 * 7}) * 0.02, false);
  m.register_parameter("f2", torch::randn({10, 128}) * 0.09, false);
  m.register_attribute("training", c10::BoolType::get(), false);
  m.define(R"(
def forward(self, x):
    h = torch.max_pool2d(torch.relu(torch.conv2d(x, self.c1, None, 1, 1)), 2)
    h = torch.max_pool2d(torch.relu(torch.conv2d(h, self.c2, None, 1, 1)), 2)
    e = torch.relu(torch.linear(torch.flatten(h, 1), self.f1))
    return (torch.linear(torch.dropout(e, 0.25, self.training), self.f2), e)
)");
  m.save(path.string());
}

score::UnitResult run(const std::filesystem::path& model_path, torch::Device device,
                      const std::vector<std::uint8_t>& pixels,
                      const std::vector<std::uint64_t>& ids, double& seconds) {
  const std::int64_t batch = 256;
  auto model = model::LoadedModel::load(model_path, {1, 28, 28}, 10);
  model.to(device);
  model.enable_monte_carlo({batch, 1, 28, 28});
  score::ScoringEngine engine(model, {{1, 28, 28}, batch, {"margin", "entropy", "bald"}, 4, 7},
                              device);
  engine.warm_up();
  score::UnitResult unit;
  const std::uint64_t n = ids.size();
  unit.reset(0, 0, n, 10, 128, 3);
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t first = 0; first < n; first += batch) {
    const std::uint64_t count = std::min<std::uint64_t>(batch, n - first);
    engine.score({first, count, ids.data() + first, pixels.data() + first * 784, nullptr}, unit);
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  engine.throw_if_nonfinite(model_path.string());
  return unit;
}

}  // namespace

int main() {
  try {
    model::use_threads(2);
    c10::InferenceMode guard;
    const auto model_path = std::filesystem::temp_directory_path() / "quarry-gpu-check.pt";
    write_model(model_path);
    const std::uint64_t n = 4000;
    std::vector<std::uint8_t> pixels(n * 784);
    std::vector<std::uint64_t> ids(n);
    for (std::uint64_t i = 0; i < n; ++i) ids[i] = 1000 + i;
    for (std::size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 24);

    double cpu_seconds = 0;
    const auto cpu = run(model_path, torch::kCPU, pixels, ids, cpu_seconds);
    std::printf("cpu: %llu items, %.0f items/s (MC dropout, 4 passes)\n",
                static_cast<unsigned long long>(n), double(n) / cpu_seconds);
    const int devices = torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
    std::printf("CUDA devices visible: %d\n", devices);
    int failures = 0;
    for (int d = 0; d < devices; ++d) {
      double seconds = 0;
      const auto gpu = run(model_path, torch::Device(torch::kCUDA, d), pixels, ids, seconds);
      std::uint64_t pred_diff = 0;
      float prob_diff = 0;
      for (std::uint64_t i = 0; i < n; ++i) pred_diff += gpu.pred[i] != cpu.pred[i];
      for (std::size_t i = 0; i < gpu.probs.size(); ++i)
        prob_diff =
            std::max(prob_diff, std::abs(to_float32(gpu.probs[i]) - to_float32(cpu.probs[i])));
      const bool ok = gpu.ids == cpu.ids && pred_diff <= n / 1000 && prob_diff <= 2e-3f;
      failures += !ok;
      std::printf(
          "cuda:%d: %.0f items/s, predictions differing from cpu: %llu, max |dp| %.2e: %s\n", d,
          double(n) / seconds, static_cast<unsigned long long>(pred_diff), prob_diff,
          ok ? "ok" : "MISMATCH");
    }
    std::filesystem::remove(model_path);
    return failures == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpu-check failed: %s\n", e.what());
    return 1;
  }
}

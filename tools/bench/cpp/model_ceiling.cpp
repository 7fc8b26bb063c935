// The ceiling for any scorer of a model on these cores: images/s of the model alone over batches
// already in memory (already float, already normalised), plain and frozen +
// optimize_for_inference, at several batch sizes. tools/bench/score compares `quarry score` and a
// Python loop against the best figure printed here.
//
// usage: quarry_bench_model MODEL.pt C H W CLASSES THREADS [--objects K] [BATCH...]
//   --objects K: the model is a detector (docs/model.md) for a pool with K keypoints (0: detect)
#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/loaded_model.hpp"
#include "model/threads.hpp"

namespace {

double images_per_second(quarry::model::LoadedModel& model, const torch::Tensor& batch) {
  for (int i = 0; i < 3; ++i) model.forward_prepared(batch);  // warm up (oneDNN primitives)
  const auto start = std::chrono::steady_clock::now();
  std::int64_t images = 0;
  double elapsed = 0;
  while (elapsed < 3.0) {
    model.forward_prepared(batch);
    images += batch.size(0);
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return double(images) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: %s MODEL.pt C H W CLASSES THREADS [--objects K] [BATCH...]\n",
                 argv[0]);
    return 2;
  }
  quarry::model::ModelContract contract{
      {std::atol(argv[2]), std::atol(argv[3]), std::atol(argv[4])}, std::atol(argv[5])};
  const auto& shape = contract.input_shape;
  quarry::model::use_threads(std::atoi(argv[6]));
  int first_batch = 7;
  if (argc > 8 && std::string(argv[7]) == "--objects") {
    contract.detection = true;
    contract.keypoints = std::atol(argv[8]);
    first_batch = 9;
  }
  std::vector<std::int64_t> batches;
  for (int i = first_batch; i < argc; ++i) batches.push_back(std::atol(argv[i]));
  if (batches.empty()) batches = {64, 128, 256, 512, 1024};

  c10::InferenceMode guard;
  for (bool optimize : {false, true}) {
    auto model = quarry::model::LoadedModel::load(argv[1], contract);
    if (optimize) model.optimize_for_inference();
    for (auto b : batches) {
      std::vector<std::int64_t> dims{b};
      dims.insert(dims.end(), shape.begin(), shape.end());
      const auto batch = torch::rand(dims);
      std::printf("%s batch %lld: %.0f images/s\n", optimize ? "optimized" : "plain",
                  static_cast<long long>(b), images_per_second(model, batch));
      std::fflush(stdout);
    }
  }
  return 0;
}

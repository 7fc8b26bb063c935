#include "train/evaluate.hpp"

#include <fmt/format.h>

#include <optional>

#include "comm/placement.hpp"
#include "comm/session.hpp"
#include "comm/shard.hpp"
#include "core/error.hpp"
#include "files/pool/shard_reader.hpp"
#include "model/device_input.hpp"
#include "model/threads.hpp"

namespace quarry::train {

namespace {
constexpr int kCalibrationBins = 15;
}

EvalResult evaluate_loaded(const comm::Communicator& world, const std::filesystem::path& pool_path,
                           model::LoadedModel& model, std::int64_t batch) {
  const auto meta = pool::PoolFile::open(pool_path).meta();
  if (!meta.has_labels)
    throw InputError(pool_path.string(), "/labels", "is missing: evaluation needs ground truth",
                     "evaluate on a labeled pool (for example an imported test split)");
  const std::size_t classes = meta.classes.size();
  c10::InferenceMode guard;
  model.module().train(false);
  auto input = model::make_cpu_input(
      {std::vector<std::int64_t>(meta.shape.dims.begin(), meta.shape.dims.end()), batch},
      model.input_affine());

  std::vector<std::uint64_t> confusion(classes * classes, 0);
  std::vector<double> bins(3 * kCalibrationBins, 0.0);  // count, confidence sum, correct sum
  const auto shard = comm::shard_range(meta.count, world.size(), world.rank(),
                                       meta.chunk_rows ? meta.chunk_rows : 1);
  if (!shard.empty()) {
    pool::ShardReader reader(pool_path, shard, static_cast<std::uint64_t>(batch));
    while (const pool::Batch* b = reader.next()) {
      const auto& x = input->prepare({b->first_row, b->count, b->ids.data(),
                                      b->pixels.empty() ? nullptr : b->pixels.data(),
                                      b->features.empty() ? nullptr : b->features.data()});
      auto logits = model.forward_prepared(x).logits.narrow(0, 0, static_cast<long>(b->count));
      auto probs = torch::softmax(logits, 1).to(torch::kCPU);
      auto [confidence, predicted] = probs.max(1);
      auto conf = confidence.contiguous();
      auto pred = predicted.contiguous();
      for (std::size_t i = 0; i < b->count; ++i) {
        const std::int32_t truth = b->labels[i];
        if (truth < 0) continue;
        const auto guess = static_cast<std::size_t>(pred.data_ptr<std::int64_t>()[i]);
        const double p = conf.data_ptr<float>()[i];
        ++confusion[static_cast<std::size_t>(truth) * classes + guess];
        const int bin = std::min(kCalibrationBins - 1, static_cast<int>(p * kCalibrationBins));
        bins[3 * bin] += 1;
        bins[3 * bin + 1] += p;
        bins[3 * bin + 2] += guess == static_cast<std::size_t>(truth) ? 1.0 : 0.0;
      }
    }
  }
  world.allreduce(std::span<std::uint64_t>(confusion), comm::Op::sum);
  world.allreduce(std::span<double>(bins), comm::Op::sum);

  EvalResult result;
  result.classes = meta.classes;
  result.confusion.assign(classes, std::vector<std::uint64_t>(classes, 0));
  result.class_accuracy.assign(classes, 0.0);
  std::uint64_t correct = 0;
  for (std::size_t t = 0; t < classes; ++t) {
    std::uint64_t row = 0;
    for (std::size_t p = 0; p < classes; ++p) {
      result.confusion[t][p] = confusion[t * classes + p];
      row += confusion[t * classes + p];
    }
    correct += confusion[t * classes + t];
    result.items += row;
    result.class_accuracy[t] = row ? double(confusion[t * classes + t]) / double(row) : 0.0;
  }
  if (result.items == 0)
    throw InputError(pool_path.string(), "/labels", "has no known labels (all -1)",
                     "evaluate on a labeled pool");
  result.accuracy = double(correct) / double(result.items);
  // Expected calibration error: bin-weighted |accuracy - confidence|.
  for (int bin = 0; bin < kCalibrationBins; ++bin) {
    const double n = bins[3 * bin];
    if (n > 0)
      result.calibration_error +=
          n / double(result.items) * std::abs(bins[3 * bin + 2] / n - bins[3 * bin + 1] / n);
  }
  return result;
}

EvalResult evaluate_model(const comm::Communicator& world, const std::filesystem::path& pool,
                          const std::filesystem::path& model_path, int threads) {
  model::use_threads(comm::threads_per_rank(threads, comm::node_placement(world)));
  std::optional<model::LoadedModel> model;
  // Inputs are checked on every rank before any collective: bad input ends with one message.
  comm::agree_on_errors(world, [&] {
    const auto meta = pool::PoolFile::open(pool).meta();
    if (!meta.has_labels)
      throw InputError(pool.string(), "/labels", "is missing: evaluation needs ground truth",
                       "evaluate on a labeled pool (for example an imported test split)");
    model.emplace(model::LoadedModel::load(
        model_path, std::vector<std::int64_t>(meta.shape.dims.begin(), meta.shape.dims.end()),
        static_cast<std::int64_t>(meta.classes.size())));
  });
  return evaluate_loaded(world, pool, *model);
}

}  // namespace quarry::train

#include "pool/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "comm/progress.hpp"
#include "files/pool/shard_reader.hpp"

namespace quarry::pool {

namespace {
// Identical on every rank after the allreduce: the lowest rank's problem, or empty.
std::string agree_on_problem(const comm::Communicator& comm, const std::string& problem) {
  const int first_bad =
      comm.allreduce<std::int32_t>(problem.empty() ? comm.size() : comm.rank(), comm::Op::min);
  if (first_bad == comm.size()) return {};
  return comm.broadcast(problem, first_bad);
}

// The next batch, or nullptr after the last or when the reader refused the pool's contents (bad
// objects): then `problem` says why, without the file name, so that the ranks can agree on it.
const Batch* next_batch(ShardReader& reader, const std::filesystem::path& path,
                        std::string& problem) {
  try {
    return reader.next();
  } catch (const InputError& error) {
    std::string text = error.what();
    const std::string prefix = path.string() + ": ";
    if (text.starts_with(prefix)) text.erase(0, prefix.size());
    if (problem.empty()) problem = text;
    return nullptr;
  }
}
}  // namespace

VerifyResult verify_pool(const comm::Communicator& comm, const std::filesystem::path& path,
                         std::uint64_t batch_size) {
  const auto start = std::chrono::steady_clock::now();
  PoolMeta meta = PoolFile::open(path).meta();
  const comm::Range shard = comm::shard_range(meta.count, comm.size(), comm.rank(),
                                              std::max<std::uint64_t>(1, meta.chunk_rows));
  ShardReader reader(path, shard, batch_size, 3, meta.task.has_objects);
  comm::Progress progress(comm, "pool check", meta.count);

  VerifyResult result;
  result.meta = meta;
  result.label_counts.assign(meta.has_labels ? meta.classes.size() : 0, 0);
  std::vector<std::uint64_t> ids;
  ids.reserve(shard.size());
  double value_sum = 0;
  std::string problem;
  if (meta.task.has_objects) result.objects.emplace(meta);
  while (const Batch* batch = next_batch(reader, path, problem)) {
    if (result.objects) result.objects->add(batch->objects);
    ids.insert(ids.end(), batch->ids.begin(), batch->ids.begin() + long(batch->count));
    const std::uint64_t elements = batch->count * meta.shape.elements();
    if (meta.shape.kind == Kind::images) {
      value_sum += double(std::accumulate(
          batch->pixels.begin(), batch->pixels.begin() + long(elements), std::uint64_t{0}));
    } else {
      for (std::uint64_t i = 0; i < elements; ++i) {
        const float v = batch->features[i];
        if (!std::isfinite(v) && problem.empty())
          problem = fmt::format("/features: row {} has a non-finite value ({})",
                                batch->first_row + i / meta.shape.elements(), v);
        value_sum += double(v);
      }
    }
    for (std::uint64_t i = 0; i < (meta.has_labels ? batch->count : 0); ++i) {
      const std::int32_t label = batch->labels[i];
      if (label == kUnknownLabel)
        ++result.unknown_labels;
      else if (label >= 0 && std::uint64_t(label) < result.label_counts.size())
        ++result.label_counts[std::size_t(label)];
      else if (problem.empty())
        problem = fmt::format("/labels: row {} has label {}, outside -1..{}", batch->first_row + i,
                              label, long(result.label_counts.size()) - 1);
    }
    progress.advance(batch->count);
  }
  progress.finish();

  // Duplicate ids across shards: every rank checks the sorted union (8 bytes per item).
  std::sort(ids.begin(), ids.end());
  auto all_ids = comm.allgatherv<std::uint64_t>(ids);
  std::sort(all_ids.begin(), all_ids.end());
  auto duplicate = std::adjacent_find(all_ids.begin(), all_ids.end());
  if (duplicate != all_ids.end() && problem.empty())
    problem = fmt::format("/ids: id {} appears more than once; ids must be unique", *duplicate);
  problem = agree_on_problem(comm, problem);
  if (!problem.empty()) {
    InputError error(path.string(), "", problem);
    error.set_on_every_rank();
    throw error;
  }

  result.items = comm.allreduce<std::uint64_t>(ids.size(), comm::Op::sum);
  result.bytes = result.items * meta.shape.bytes();
  comm.allreduce(std::span(result.label_counts), comm::Op::sum);
  if (result.objects) result.objects->combine(comm);
  result.unknown_labels = comm.allreduce(result.unknown_labels, comm::Op::sum);
  const double total = comm.allreduce(value_sum, comm::Op::sum);
  result.mean_value = result.items ? total / double(result.items * meta.shape.elements()) : 0.0;
  result.seconds = comm.allreduce(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
      comm::Op::max);
  return result;
}

}  // namespace quarry::pool

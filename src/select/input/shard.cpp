#include "select/input/shard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "comm/session.hpp"
#include "comm/shard.hpp"
#include "core/error.hpp"
#include "select/distributed/agree.hpp"

namespace quarry::select {

namespace {

template <class T>
std::vector<T> read_range(const h5::Dataset& dataset, const comm::Range& range) {
  std::vector<T> values(range.size() * dataset.row_elements());
  dataset.read_rows<T>(range.begin, range.size(), values);
  return values;
}

// Names at most five offending ids (found on any rank) on every rank.
void report_not_finite(const comm::Communicator& comm, const std::string& file,
                       const std::string& dataset, std::vector<std::uint64_t> bad) {
  const auto total = comm.allreduce<std::uint64_t>(bad.size(), comm::Op::sum);
  if (total == 0) return;
  bad.resize(std::min<std::size_t>(bad.size(), 5));
  auto named = comm.allgatherv<std::uint64_t>(bad);
  std::sort(named.begin(), named.end());
  named.resize(std::min<std::size_t>(named.size(), 5));
  InputError error(file, dataset,
                   fmt::format("{} item(s) have infinite or NaN values, ids {}{}", total,
                               fmt::join(named, ", "), total > named.size() ? ", ..." : ""),
                   "re-score with a model that does not diverge, or drop these items");
  error.set_on_every_rank();
  throw error;
}

}  // namespace

std::vector<std::uint64_t> rows_not_finite(const std::vector<Float16>& values, std::size_t width,
                                           const std::vector<std::uint64_t>& ids) {
  std::vector<std::uint64_t> bad;
  for (std::size_t row = 0; row < ids.size(); ++row)
    for (std::size_t j = 0; j < width; ++j)
      if ((values[row * width + j].bits & 0x7c00u) == 0x7c00u) {
        bad.push_back(ids[row]);
        break;
      }
  return bad;
}

Shard read_shard(const comm::Communicator& comm, const std::filesystem::path& scores,
                 const ShardRequest& request) {
  Shard shard;
  comm::agree_on_errors(comm, [&] {
    auto file = score::ScoresFile::open(scores);
    shard.path = scores.string();
    shard.meta = file.meta();
    if (request.embeddings && shard.meta.embedding_dim == 0)
      throw InputError(scores.string(), score::kEmbeddings,
                       "has no columns: this strategy needs embeddings",
                       "score with a model that returns (logits, embedding), or use --strategy "
                       "topk or random");
    const auto ids = file.ids();
    const auto chunk = ids.chunk_dims();
    const comm::Range range =
        comm::shard_range(shard.meta.count, comm.size(), comm.rank(), chunk.empty() ? 1 : chunk[0]);
    shard.first_row = range.begin;
    shard.ids = read_range<std::uint64_t>(ids, range);
    shard.pred = read_range<std::int32_t>(file.pred(), range);
    if (request.embeddings) shard.embeddings = read_range<Float16>(file.embeddings(), range);
    if (request.probs) shard.probs = read_range<Float16>(file.probs(), range);
    const auto& known = shard.meta.acquisitions;
    const bool present = !request.acquisition.empty() &&
                         std::find(known.begin(), known.end(), request.acquisition) != known.end();
    shard.has_acquisition = present || request.acquisition_required;
    if (shard.has_acquisition)
      shard.acquisition = read_range<float>(file.score(request.acquisition), range);
  });
  if (request.embeddings)
    report_not_finite(comm, scores.string(), score::kEmbeddings,
                      rows_not_finite(shard.embeddings, shard.dim(), shard.ids));
  if (request.probs)
    report_not_finite(comm, scores.string(), score::kProbs,
                      rows_not_finite(shard.probs, shard.meta.classes, shard.ids));
  if (shard.has_acquisition) {  // the same on every rank, even one with no rows
    std::vector<std::uint64_t> bad;
    for (std::size_t row = 0; row < shard.size(); ++row)
      if (!std::isfinite(shard.acquisition[row])) bad.push_back(shard.ids[row]);
    report_not_finite(comm, scores.string(), score::score_dataset(request.acquisition), bad);
  }
  return shard;
}

}  // namespace quarry::select

#include "select/strategies/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/seeded.hpp"
#include "select/distributed/agree.hpp"

namespace quarry::select {

namespace {

double acquisition_key(const Shard& shard, std::uint32_t row, const std::vector<float>& weight) {
  const double value = shard.acquisition[row];
  return weight.empty() ? value : value * weight[row];
}

std::vector<Ranked> rank_rows(const Shard& shard, const std::vector<std::uint32_t>& rows,
                              const std::function<double(std::uint32_t)>& key) {
  std::vector<Ranked> ranked(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) ranked[i] = {key(rows[i]), shard.ids[rows[i]]};
  return ranked;
}

// Picks in ranking order; `reason` and `score` come from the row holding each id.
PickList picks_from(const comm::Communicator& comm, const Shard& shard,
                    const std::vector<std::uint32_t>& rows, const std::vector<Ranked>& top,
                    const std::function<float(std::uint32_t)>& reason) {
  std::unordered_map<std::uint64_t, std::uint32_t> local;
  for (const auto row : rows) local.emplace(shard.ids[row], row);
  // Each rank fills in the rows it holds; a max-reduction over ranks (others hold -inf)
  // completes the lists on every rank.
  std::vector<float> score(top.size(), -INFINITY), why(top.size(), -INFINITY);
  std::vector<std::uint8_t> nan_score(top.size(), 0);
  for (std::size_t i = 0; i < top.size(); ++i)
    if (auto at = local.find(top[i].id); at != local.end()) {
      const float value = acquisition_of(shard, at->second);
      if (std::isnan(value))
        nan_score[i] = 1;
      else
        score[i] = value;
      why[i] = reason(at->second);
    }
  comm.allreduce(std::span(score), comm::Op::max);
  comm.allreduce(std::span(why), comm::Op::max);
  comm.allreduce(std::span(nan_score), comm::Op::max);
  PickList result;
  for (std::size_t i = 0; i < top.size(); ++i)
    result.picks.push_back(
        {top[i].id, nan_score[i] ? std::numeric_limits<float>::quiet_NaN() : score[i], why[i]});
  return result;
}

}  // namespace

PickList random_picks(const comm::Communicator& comm, const Shard& shard,
                      const std::vector<std::uint32_t>& candidates, std::size_t k,
                      std::uint64_t seed, const std::vector<float>& weight) {
  const auto draw = [&](std::uint32_t row) { return keyed_uniform(seed, shard.ids[row]); };
  const auto top =
      global_top(comm,
                 rank_rows(shard, candidates,
                           [&](std::uint32_t row) {
                             return weight.empty() ? -draw(row) : std::log(draw(row)) / weight[row];
                           }),
                 k);
  auto result =
      picks_from(comm, shard, candidates, top, [&](std::uint32_t row) { return float(draw(row)); });
  result.reason_meaning = "the item's seeded uniform draw";
  result.objective = top.empty() ? 0 : top.back().key;
  return result;
}

PickList top_acquisition(const comm::Communicator& comm, const Shard& shard,
                         const std::vector<std::uint32_t>& candidates, std::size_t k,
                         const std::vector<float>& weight) {
  const auto key = [&](std::uint32_t row) { return acquisition_key(shard, row, weight); };
  const auto top = global_top(comm, rank_rows(shard, candidates, key), k);
  auto result =
      picks_from(comm, shard, candidates, top, [&](std::uint32_t row) { return float(key(row)); });
  result.reason_meaning = weight.empty() ? "acquisition value" : "acquisition value x weight";
  double sum = 0;
  for (const auto& ranked : top) sum += ranked.key;
  result.objective = sum;  // the total acquisition of the batch
  return result;
}

std::vector<std::uint32_t> top_acquisition_rows(const comm::Communicator& comm, const Shard& shard,
                                                const std::vector<std::uint32_t>& candidates,
                                                std::size_t m, const std::vector<float>& weight) {
  const auto top =
      global_top(comm,
                 rank_rows(shard, candidates,
                           [&](std::uint32_t row) { return acquisition_key(shard, row, weight); }),
                 m);
  std::vector<std::uint64_t> ids;
  for (const auto& ranked : top) ids.push_back(ranked.id);
  std::sort(ids.begin(), ids.end());
  std::vector<std::uint32_t> rows;
  for (const auto row : candidates)
    if (std::binary_search(ids.begin(), ids.end(), shard.ids[row])) rows.push_back(row);
  return rows;
}

}  // namespace quarry::select

#include "select/distributed/agree.hpp"

#include <algorithm>
#include <cstring>

namespace quarry::select {

namespace {

std::vector<Ranked> gather(const comm::Communicator& comm, const std::vector<Ranked>& local) {
  std::vector<double> keys(local.size());
  std::vector<std::uint64_t> ids(local.size());
  for (std::size_t i = 0; i < local.size(); ++i) keys[i] = local[i].key, ids[i] = local[i].id;
  const auto all_keys = comm.allgatherv<double>(keys);
  const auto all_ids = comm.allgatherv<std::uint64_t>(ids);
  std::vector<Ranked> all(all_keys.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = {all_keys[i], all_ids[i]};
  return all;
}

}  // namespace

Winner agree_best(const comm::Communicator& comm, const Ranked& local_best,
                  std::span<const std::uint8_t> payload, std::span<std::uint8_t> winner_payload) {
  const std::size_t head = sizeof(double) + sizeof(std::uint64_t);
  const std::size_t each = head + payload.size();
  std::vector<std::uint8_t> mine(each), all(each * std::size_t(comm.size()));
  std::memcpy(mine.data(), &local_best.key, sizeof(double));
  std::memcpy(mine.data() + sizeof(double), &local_best.id, sizeof(std::uint64_t));
  if (!payload.empty()) std::memcpy(mine.data() + head, payload.data(), payload.size());
  const int count = comm::mpi_count(each, "agreeing on the best candidate (bytes per rank)");
  MPI_Allgather(mine.data(), count, MPI_BYTE, all.data(), count, MPI_BYTE, comm.raw());
  Winner winner;
  for (int r = 0; r < comm.size(); ++r) {
    Ranked candidate;
    const std::uint8_t* at = all.data() + std::size_t(r) * each;
    std::memcpy(&candidate.key, at, sizeof(double));
    std::memcpy(&candidate.id, at + sizeof(double), sizeof(std::uint64_t));
    if (candidate.valid() && (winner.rank < 0 || ranks_before(candidate, winner.best)))
      winner = {candidate, r};
  }
  if (winner.rank >= 0 && !payload.empty())
    std::memcpy(winner_payload.data(), all.data() + std::size_t(winner.rank) * each + head,
                payload.size());
  return winner;
}

Winner agree_best(const comm::Communicator& comm, const Ranked& local_best) {
  return agree_best(comm, local_best, {}, {});
}

std::vector<Ranked> global_top(const comm::Communicator& comm, std::vector<Ranked> local,
                               std::size_t m) {
  const auto keep = [m](std::vector<Ranked>& values) {
    const std::size_t n = std::min(m, values.size());
    std::partial_sort(values.begin(), values.begin() + long(n), values.end(), ranks_before);
    values.resize(n);
  };
  keep(local);  // no rank needs to send more than m
  auto all = gather(comm, local);
  keep(all);
  return all;
}

}  // namespace quarry::select

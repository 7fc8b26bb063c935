#include "select/distributed/layout.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <thread>

#include "comm/session.hpp"
#include "core/log.hpp"

namespace quarry::select {

namespace {

std::uint64_t gather_bytes() {
  const char* forced = std::getenv("QUARRY_GATHER_BYTES");
  return forced && *forced ? std::stoull(forced) : kGatherBytes;
}

template <class T>
std::vector<T> gather_rows(const comm::Communicator& comm, const std::vector<T>& values,
                           std::size_t width, const std::vector<std::uint32_t>& rows) {
  std::vector<T> mine;
  mine.reserve(rows.size() * width);
  for (const auto row : rows)
    mine.insert(mine.end(), values.begin() + long(row * width),
                values.begin() + long((row + 1) * width));
  return comm.allgatherv<T>(mine);
}

// Collective: the given rows of every rank, in rank (file) order, as one shard.
Shard gather(const comm::Communicator& comm, const Shard& shard,
             const std::vector<std::uint32_t>& rows) {
  Shard all;
  all.path = shard.path;
  all.meta = shard.meta;
  all.has_acquisition = shard.has_acquisition;
  all.ids = gather_rows(comm, shard.ids, 1, rows);
  all.pred = gather_rows(comm, shard.pred, 1, rows);
  // What the shard holds is the same on every rank, but a rank without rows cannot tell.
  if (comm.any(!shard.embeddings.empty()))
    all.embeddings = gather_halves(comm, shard.embeddings, shard.dim(), rows);
  if (comm.any(!shard.probs.empty()))
    all.probs = gather_halves(comm, shard.probs, shard.meta.classes, rows);
  if (shard.has_acquisition) all.acquisition = gather_rows(comm, shard.acquisition, 1, rows);
  return all;
}

}  // namespace

bool runs_alone(const comm::Communicator& comm, std::uint64_t rows, std::size_t dim) {
  return comm.size() > 1 && rows * dim * sizeof(Float16) < gather_bytes();
}

void on_root_asleep(const comm::Communicator& comm, const std::function<void()>& body) {
  std::exception_ptr failure;
  if (comm.is_root()) try {
      body();
    } catch (...) {
      failure = std::current_exception();
    }
  MPI_Request request;
  MPI_Ibarrier(comm.raw(), &request);
  for (int done = 0;;) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  comm::on_root_for_all(comm, [&] {
    if (failure) std::rethrow_exception(failure);
  });
}

PickList run_stage(const comm::Communicator& comm, const Shard& shard,
                   const std::vector<std::uint32_t>& candidates, const std::vector<float>& weight,
                   const Stage& stage) {
  const auto items = comm.allreduce<std::uint64_t>(candidates.size(), comm::Op::sum);
  if (!runs_alone(comm, items, shard.dim())) return stage(comm, shard, candidates, weight);
  const Shard all = gather(comm, shard, candidates);
  const auto all_weight =
      comm.any(!weight.empty()) ? gather_rows(comm, weight, 1, candidates) : std::vector<float>{};
  std::vector<std::uint32_t> rows(all.size());
  for (std::uint32_t row = 0; row < rows.size(); ++row) rows[row] = row;
  PickList result;
  on_root_asleep(comm,
                 [&] { result = stage(comm::Communicator(MPI_COMM_SELF), all, rows, all_weight); });
  if (comm.is_root()) spdlog::debug("select: a stage over {} items ran on rank 0 alone", items);
  // Every rank learns the picks.
  auto count = comm.broadcast<std::uint64_t>(result.picks.size(), 0);
  result.picks.resize(count);
  std::vector<std::uint64_t> ids(count);
  std::vector<float> values(2 * count);
  for (std::size_t i = 0; i < count; ++i)
    ids[i] = result.picks[i].id, values[2 * i] = result.picks[i].score,
    values[2 * i + 1] = result.picks[i].reason;
  comm.broadcast(std::span(ids), 0);
  comm.broadcast(std::span(values), 0);
  for (std::size_t i = 0; i < count; ++i)
    result.picks[i] = {ids[i], values[2 * i], values[2 * i + 1]};
  result.objective = comm.broadcast(result.objective, 0);
  result.reason_meaning = comm.broadcast(result.reason_meaning, 0);
  return result;
}

}  // namespace quarry::select

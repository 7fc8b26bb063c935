#include "comm/progress.hpp"

#include <numeric>

namespace quarry::comm {

namespace {
constexpr int kTagReport = 1;
constexpr int kTagFinal = 2;
constexpr auto kReportInterval = std::chrono::milliseconds(250);
}  // namespace

Progress::Progress(const Communicator& comm, std::string label, std::uint64_t global_total,
                   std::string unit)
    : comm_(duplicate(comm)),
      rank_(comm.rank()),
      size_(comm.size()),
      last_report_(std::chrono::steady_clock::now()) {
  if (rank_ == 0) {
    reported_.assign(static_cast<size_t>(size_), 0);
    bar_.emplace(std::move(label), global_total, std::move(unit));
  }
}

Progress::~Progress() {
  // Only reached without finish() when the stage failed; the job is being aborted, so just
  // release the request instead of waiting on ranks that may be gone.
  if (request_ != MPI_REQUEST_NULL) MPI_Request_free(&request_);
}

void Progress::advance(std::uint64_t count) {
  local_done_ += count;
  auto now = std::chrono::steady_clock::now();
  if (now - last_report_ < kReportInterval) return;
  last_report_ = now;
  if (rank_ == 0) {
    reported_[0] = local_done_;
    drain_reports(false);
    bar_->update(std::accumulate(reported_.begin(), reported_.end(), std::uint64_t{0}));
  } else {
    send_report(false);
  }
}

void Progress::send_report(bool final_report) {
  if (request_ != MPI_REQUEST_NULL) {
    int done = 0;
    if (final_report)
      MPI_Wait(&request_, MPI_STATUS_IGNORE);
    else
      MPI_Test(&request_, &done, MPI_STATUS_IGNORE);
    if (request_ != MPI_REQUEST_NULL) return;  // previous report still in flight: skip this one
  }
  in_flight_ = local_done_;
  if (final_report)
    MPI_Send(&in_flight_, 1, MPI_UINT64_T, 0, kTagFinal, comm_.get().raw());
  else
    MPI_Isend(&in_flight_, 1, MPI_UINT64_T, 0, kTagReport, comm_.get().raw(), &request_);
}

void Progress::drain_reports(bool wait_for_finals) {
  // A rank may finish (and send its final count) while rank 0 is still working, so finals are
  // counted across calls, not only inside finish().
  while (true) {
    bool waiting = wait_for_finals && finals_received_ < size_ - 1;
    MPI_Status status;
    int pending = 0;
    if (waiting) {
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_.get().raw(), &status);
      pending = 1;
    } else {
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_.get().raw(), &pending, &status);
    }
    if (!pending) return;
    std::uint64_t value = 0;
    MPI_Recv(&value, 1, MPI_UINT64_T, status.MPI_SOURCE, status.MPI_TAG, comm_.get().raw(),
             MPI_STATUS_IGNORE);
    reported_[static_cast<size_t>(status.MPI_SOURCE)] = value;
    if (status.MPI_TAG == kTagFinal) ++finals_received_;
    if (wait_for_finals && finals_received_ == size_ - 1) return;
  }
}

std::uint64_t Progress::finish() {
  if (finished_) return 0;
  finished_ = true;
  std::uint64_t total = 0;
  if (rank_ == 0) {
    reported_[0] = local_done_;
    if (size_ > 1) drain_reports(true);
    total = std::accumulate(reported_.begin(), reported_.end(), std::uint64_t{0});
    bar_->finish(total);
  } else {
    send_report(true);
  }
  return comm_.get().broadcast(total, 0);
}

}  // namespace quarry::comm

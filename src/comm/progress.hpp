#pragma once
// Progress of a stage summed over all ranks, drawn by rank 0. Ranks report their local count
// with a non-blocking send at most a few times a second on a private communicator, so a slow
// rank never stalls a fast one and progress traffic never matches the stage's own messages.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "core/progress_bar.hpp"

namespace quarry::comm {

class Progress {
 public:
  // Collective: every rank constructs it with the same global total.
  Progress(const Communicator& comm, std::string label, std::uint64_t global_total,
           std::string unit = "items");
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Local work done since the last call. Cheap: touches MPI at most every report interval.
  void advance(std::uint64_t count);
  // Collective: waits for every rank's final count and prints the summary line on rank 0.
  // Returns the global count.
  std::uint64_t finish();

  // Rank 0: how many other ranks' final counts have arrived so far (they count whenever rank 0
  // reports, not only inside finish()). Other ranks: 0.
  int finals_received() const { return finals_received_; }

 private:
  void send_report(bool final_report);
  void drain_reports(bool wait_for_finals);

  OwnedCommunicator comm_;
  int rank_, size_;
  std::uint64_t local_done_ = 0;
  std::chrono::steady_clock::time_point last_report_;
  // Non-root: the value in flight and its request; root: each rank's last reported count.
  std::uint64_t in_flight_ = 0;
  MPI_Request request_ = MPI_REQUEST_NULL;
  std::vector<std::uint64_t> reported_;
  int finals_received_ = 0;
  std::optional<ProgressBar> bar_;
  bool finished_ = false;
};

}  // namespace quarry::comm

#include "core/interrupt.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

#include "core/error.hpp"

namespace quarry {

namespace {
// Lock-free atomics are async-signal-safe; a plain bool is not.
std::atomic<bool> g_requested{false};
std::atomic<int> g_sections{0};
static_assert(std::atomic<bool>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);

// Exit 99 rather than the default action: the Slurm templates requeue a stage that exits 99, which
// is what SIGUSR1 before the time limit asks for wherever the stage is, and what a preempted job
// wants. A rerun is safe because every output is published atomically: a stage ended here has
// published nothing of this run, and the committed units of a checkpointed loop are kept.
// timeout and scancel end the job either way. Only async-signal-safe calls: write and _exit.
[[noreturn]] void end_now() {
  static constexpr char kMessage[] =
      "quarry: stopped at once by a signal (no checkpointed loop was running, or it was the "
      "second signal); nothing more was published (exit 99: run the command again)\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(kExitInterrupted);
}

extern "C" void on_interrupt_signal(int) {
  const bool again = g_requested.exchange(true, std::memory_order_relaxed);
  if (again || g_sections.load(std::memory_order_relaxed) == 0) end_now();
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // inside a section, work resumes and the loop checks the flag
  sigaction(SIGUSR1, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() {
  return g_requested.load(std::memory_order_relaxed);
}
void request_interrupt() {
  g_requested.store(true, std::memory_order_relaxed);
}
void clear_interrupt() {
  g_requested.store(false, std::memory_order_relaxed);
}

CheckpointedSection::CheckpointedSection() {
  g_sections.fetch_add(1, std::memory_order_relaxed);
}
CheckpointedSection::~CheckpointedSection() {
  g_sections.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace quarry

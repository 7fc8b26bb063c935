#include "core/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace quarry {

namespace {
// Lock-free atomics are async-signal-safe; a plain bool is not.
std::atomic<bool> g_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt_signal(int) {
  g_requested.store(true, std::memory_order_relaxed);
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking reads resume; the flag is checked between units
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

}  // namespace quarry

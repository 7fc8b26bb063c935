#pragma once
// Cooperative interruption: SIGUSR1 (Slurm's --signal warning) and SIGTERM only set a flag.
// Long stages poll it between work units, agree across ranks, checkpoint and exit 99.
namespace quarry {

void install_interrupt_handlers();
bool interrupt_requested();
void request_interrupt();  // what the signal handler does; also used by tests
void clear_interrupt();

}  // namespace quarry

#pragma once
// Interruption by SIGUSR1 (Slurm's --signal warning before the time limit) and SIGTERM (timeout,
// scancel, preemption). A loop that checkpoints its work holds a CheckpointedSection while it
// looks at interrupt_requested() between units: there the first signal only sets the flag, and
// the loop stops after its unit, agrees across ranks and exits 99. Anywhere else nothing would
// look at the flag (a blocking read, a long computation), so the signal ends the process at
// once with exit 99; a second signal always does, even inside a section.
namespace quarry {

void install_interrupt_handlers();
bool interrupt_requested();
void request_interrupt();  // what the signal handler does inside a section; also used by tests
void clear_interrupt();

// Marks the calling code as a checkpointed loop that acts on interrupt_requested() soon, so a
// signal may wait for it. Nestable; held by one thread at a time (the one running the loop).
class CheckpointedSection {
 public:
  CheckpointedSection();
  ~CheckpointedSection();
  CheckpointedSection(const CheckpointedSection&) = delete;
  CheckpointedSection& operator=(const CheckpointedSection&) = delete;
};

}  // namespace quarry

#pragma once
// Threads inside a rank. Debian's libtorch starts with one intra-op thread and OpenBLAS with as
// many as the machine has cores: both must match the cores this rank owns, or ranks on a node
// oversubscribe it (or leave it idle).
namespace quarry::model {

// How many: comm::threads_per_rank (placement.hpp), which follows what Slurm gave the task.

// Sets torch's intra-op threads and OpenBLAS's threads; torch's inter-op pool gets one thread
// (quarry runs one model call at a time per rank).
void use_threads(int threads);

}  // namespace quarry::model

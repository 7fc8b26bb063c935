#include "model/threads.hpp"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace quarry::model {

int default_threads_per_rank(int ranks_on_node) {
  if (const char* slurm = std::getenv("SLURM_CPUS_PER_TASK")) {
    const int cpus = std::atoi(slurm);
    if (cpus > 0) return cpus;
  }
  cpu_set_t set;
  int cores = 1;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) cores = CPU_COUNT(&set);
  // A rank bound to a subset of the node (mpirun --bind-to, srun --cpu-bind) already sees only
  // what it owns; an unbound rank shares the node with the others.
  const int node_cores = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  if (cores < node_cores) return std::max(1, cores);
  return std::max(1, cores / std::max(1, ranks_on_node));
}

void use_threads(int threads) {
  at::set_num_threads(threads);
  // Only settable before the first parallel region; a second call (tests) is harmless to skip.
  static bool interop_set = false;
  if (!interop_set) {
    interop_set = true;
    at::set_num_interop_threads(1);
  }
  // libtorch calls whatever libblas.so.3 is installed; OpenBLAS has its own pool. Looked up at
  // run time so other BLAS implementations still link.
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    set(threads);
}

}  // namespace quarry::model

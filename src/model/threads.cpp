#include "model/threads.hpp"

#include <ATen/Parallel.h>
#include <dlfcn.h>

namespace quarry::model {

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

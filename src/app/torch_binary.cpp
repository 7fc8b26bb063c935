#include "app/torch_binary.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "core/error.hpp"

namespace quarry::app {

namespace fs = std::filesystem;

std::filesystem::path torch_binary() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  return self.parent_path() / "quarry-torch";
}

int run_in_torch_binary(const std::string& command, char** argv) {
  const fs::path binary = torch_binary();
  if (binary.empty() || !fs::exists(binary)) {
    std::cerr << "error: quarry " << command
              << " runs a model, and this quarry was built without LibTorch "
                 "(-DQUARRY_WITH_TORCH=OFF: no quarry-torch beside "
              << (binary.empty() ? std::string("the quarry binary") : binary.parent_path().string())
              << ")\n  hint: run it where quarry was built with LibTorch, or rebuild with "
                 "-DQUARRY_WITH_TORCH=ON\n";
    return kExitBadInput;
  }
  // The same arguments and environment: under mpirun or srun each rank becomes its own
  // quarry-torch process before MPI is initialised, so the launch is unchanged.
  ::execv(binary.c_str(), argv);
  std::cerr << "error: cannot start " << binary.string() << ": " << std::strerror(errno) << "\n";
  return kExitFailed;
}

}  // namespace quarry::app

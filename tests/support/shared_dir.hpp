#pragma once
// A temporary folder that every rank of a multi-rank test sees: rank 0 creates it and
// broadcasts its path; rank 0 removes it at the end.
#include <mpi.h>

#include <filesystem>
#include <memory>
#include <string>

#include "support/temp_dir.hpp"

namespace quarry::testing {

class SharedDir {
 public:
  explicit SharedDir(MPI_Comm comm) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    std::string path;
    if (rank == 0) owned_ = std::make_unique<TempDir>(), path = owned_->path().string();
    int length = int(path.size());
    MPI_Bcast(&length, 1, MPI_INT, 0, comm);
    path.resize(std::size_t(length));
    MPI_Bcast(path.data(), length, MPI_CHAR, 0, comm);
    path_ = path;
    comm_ = comm;
  }
  ~SharedDir() { MPI_Barrier(comm_); }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::unique_ptr<TempDir> owned_;
  std::filesystem::path path_;
  MPI_Comm comm_;
};

}  // namespace quarry::testing

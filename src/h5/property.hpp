#pragma once
// Small property objects for how a file is opened and how a transfer runs (HighFive's model).
#include <mpi.h>

#include "h5/handle.hpp"

namespace quarry::h5 {

// Serial (POSIX, one process) or MPI-IO (all ranks of `comm` open the file together; every
// metadata operation is then collective).
class FileAccess {
 public:
  static FileAccess serial() { return FileAccess(MPI_COMM_NULL); }
  static FileAccess mpio(MPI_Comm comm) { return FileAccess(comm); }
  bool parallel() const { return comm_ != MPI_COMM_NULL; }
  Handle make() const;

 private:
  explicit FileAccess(MPI_Comm comm) : comm_(comm) {}
  MPI_Comm comm_;
};

// Raw data transfer mode for MPI-IO files; ignored for serial files.
enum class Transfer { independent, collective };
Handle make_transfer(Transfer mode);

}  // namespace quarry::h5

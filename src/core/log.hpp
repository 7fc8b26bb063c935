#pragma once
// Logging to stderr with a rank prefix, so interleaved Slurm logs say who spoke.
#include <spdlog/spdlog.h>

namespace quarry::logging {

// Before MPI is up the rank comes from the launcher's environment (OMPI_COMM_WORLD_RANK,
// PMI_RANK, SLURM_PROCID); a process started by hand has no prefix.
void init_from_environment();
// Once the world communicator is known.
void set_rank(int rank, int size);
// This process's rank (0 when not under MPI).
int rank();
// QUARRY_LOG_LEVEL=debug|info|warn|error|off (default info).
void set_level_from_environment();

}  // namespace quarry::logging

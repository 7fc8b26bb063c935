#pragma once
// Where each rank runs: its node, its index among the ranks of that node (which picks its GPU)
// and the cores it owns (which size its thread pools). Under a Slurm job step the launcher's
// word is taken (node ids, the task's CPUs): several nodes may share one host (an emulated
// cluster, or a site's node sharing), where MPI's shared-memory split and the host's core count
// would both be wrong.
#include <nlohmann/json.hpp>
#include <string>

#include "comm/communicator.hpp"

namespace quarry::comm {

struct NodePlacement {
  int local_rank = 0;     // index of this rank among the ranks on its node (world rank order)
  int local_size = 1;     // ranks on this node
  int node = 0;           // index of this rank's node, 0..nodes-1 in order of first world rank
  int nodes = 1;          // nodes the communicator spans
  std::string node_name;  // SLURMD_NODENAME under Slurm, else the host name
};

// Collective over `world`.
NodePlacement node_placement(const Communicator& world);

// The cores this rank owns, for its torch, BLAS and TBB pools (at least 1): Slurm's
// SLURM_CPUS_PER_TASK; else the CPUs the task is bound to (mpirun --bind-to, srun --cpu-bind);
// else, in a Slurm job, the job's CPUs on this node (SLURM_CPUS_ON_NODE) shared by the ranks on
// it; else the cores this process may run on shared by the ranks on its node.
int cores_per_rank(const NodePlacement& placement);

// `requested` threads where the user asked for a number (> 0), else cores_per_rank.
int threads_per_rank(int requested, const NodePlacement& placement);

// Every rank's placement for the stage's manifest, on rank 0 (null elsewhere): {"nodes": 2,
// "ranks": [{"rank": 0, "node": "n1", "local_rank": 0, "threads": 1}, ...]}. Collective.
nlohmann::json placement_record(const Communicator& world, const NodePlacement& placement,
                                int threads);

}  // namespace quarry::comm

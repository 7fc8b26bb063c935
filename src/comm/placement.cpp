#include "comm/placement.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include <spdlog/spdlog.h>

namespace quarry::comm {

namespace {

int environment_number(const char* name) {
  const char* text = std::getenv(name);
  return text ? std::atoi(text) : -1;
}

std::string host_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

// True on every rank when `world` is exactly the tasks of the Slurm job step this process runs
// in (srun): then SLURM_NODEID names the node. mpirun inside an allocation starts its daemons as
// the step's tasks, so there the step's task ids do not match the world's ranks.
bool world_is_slurm_step(const Communicator& world) {
  const bool mine = environment_number("SLURM_NODEID") >= 0 &&
                    environment_number("SLURM_STEP_NUM_TASKS") == world.size() &&
                    environment_number("SLURM_PROCID") == world.rank();
  return world.allreduce<int>(mine ? 1 : 0, Op::min) == 1;
}

// A number that is equal for ranks on the same node and differs between nodes.
int node_key(const Communicator& world, bool slurm_step) {
  if (slurm_step) return environment_number("SLURM_NODEID");
  const OwnedCommunicator node = world.split_shared();
  return node.get().broadcast<int>(world.rank(), 0);
}

// Every rank's `text`, in rank order.
std::vector<std::string> allgather_text(const Communicator& world, const std::string& text) {
  const auto lengths = world.allgather<std::uint64_t>(text.size());
  const auto joined = world.allgatherv<char>(std::span<const char>(text.data(), text.size()));
  std::vector<std::string> all;
  std::size_t at = 0;
  for (const auto length : lengths) {
    all.emplace_back(joined.data() + at, length);
    at += length;
  }
  return all;
}

}  // namespace

NodePlacement node_placement(const Communicator& world) {
  // Decided once, collectively: every rank takes the same path through the collectives below.
  const bool slurm_step = world_is_slurm_step(world);
  const auto keys = world.allgather<int>(node_key(world, slurm_step));
  const int me = world.rank();
  NodePlacement placement;
  const char* slurm_name = std::getenv("SLURMD_NODENAME");
  placement.node_name = slurm_step && slurm_name ? slurm_name : host_name();
  placement.local_rank = int(std::count(keys.begin(), keys.begin() + me, keys[me]));
  placement.local_size = int(std::count(keys.begin(), keys.end(), keys[me]));
  // Nodes are numbered by their first rank, so node 0 holds rank 0.
  std::vector<int> firsts;
  for (int r = 0; r < int(keys.size()); ++r)
    if (std::find(keys.begin(), keys.begin() + r, keys[r]) == keys.begin() + r)
      firsts.push_back(keys[r]);
  placement.nodes = int(firsts.size());
  placement.node = int(std::find(firsts.begin(), firsts.end(), keys[me]) - firsts.begin());
  return placement;
}

namespace {
// The cores this process may run on (its affinity mask: what mpirun's or srun's binding left).
int usable_cores() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof(set), &set) == 0 ? std::max(1, CPU_COUNT(&set)) : 1;
}
}  // namespace

int cores_per_rank(const NodePlacement& placement) {
  if (const int cpus = environment_number("SLURM_CPUS_PER_TASK"); cpus > 0) return cpus;
  const int usable = usable_cores();
  // A rank bound to a subset of the host already sees only what it owns.
  const int host_cores = int(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  if (usable < host_cores) return std::max(1, usable);
  const int ranks_here = std::max(1, placement.local_size);
  // Unbound in a Slurm job: the job owns SLURM_CPUS_ON_NODE of this node (fewer than the host's
  // cores where nodes are shared or emulated), split among its ranks here.
  if (const int job_cpus = environment_number("SLURM_CPUS_ON_NODE"); job_cpus > 0)
    return std::max(1, job_cpus / ranks_here);
  return std::max(1, usable / ranks_here);
}

int threads_per_rank(int requested, const NodePlacement& placement) {
  if (requested <= 0) return cores_per_rank(placement);
  // mpirun binds each of one or two ranks to one core by default: threads beyond the binding
  // take turns on it (measured: half the scoring rate for 2 threads on 1 core).
  if (const int usable = usable_cores(); requested > usable)
    spdlog::warn(
        "--threads {} but this rank may run on {} core(s) only (its binding): threads beyond "
        "that share cores; give each rank its cores (mpirun --map-by slot:PE={}, srun "
        "--cpus-per-task={}) or use --threads {}",
        requested, usable, requested, requested, usable);
  return requested;
}

nlohmann::json placement_record(const Communicator& world, const NodePlacement& placement,
                                int threads) {
  const auto names = allgather_text(world, placement.node_name);
  const auto local_ranks = world.allgather<int>(placement.local_rank);
  const auto all_threads = world.allgather<int>(threads);
  if (world.rank() != 0) return nullptr;
  nlohmann::json ranks = nlohmann::json::array();
  for (int r = 0; r < world.size(); ++r)
    ranks.push_back({{"rank", r},
                     {"node", names[r]},
                     {"local_rank", local_ranks[r]},
                     {"threads", all_threads[r]}});
  return {{"nodes", placement.nodes}, {"ranks", ranks}};
}

}  // namespace quarry::comm

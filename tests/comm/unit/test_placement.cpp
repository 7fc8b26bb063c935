#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>

#include "comm/placement.hpp"

namespace quarry::comm {
namespace {

// Sets (or with nullptr unsets) an environment variable for one test, restoring it after.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
      had_ = true;
    }
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnvironment() {
    if (had_)
      setenv(name_, old_.c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

bool process_is_bound() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof(set), &set) == 0 &&
         CPU_COUNT(&set) < sysconf(_SC_NPROCESSORS_ONLN);
}

NodePlacement ranks_on_node(int count) {
  NodePlacement placement;
  placement.local_size = count;
  return placement;
}

TEST(CoresPerRank, SlurmCpusPerTaskWins) {
  ScopedEnvironment cpus("SLURM_CPUS_PER_TASK", "3");
  ScopedEnvironment node("SLURM_CPUS_ON_NODE", "64");
  EXPECT_EQ(cores_per_rank(ranks_on_node(4)), 3);
}

TEST(CoresPerRank, JobCpusOnTheNodeAreSharedByItsRanks) {
  if (process_is_bound()) GTEST_SKIP() << "this process is bound to some cores";
  ScopedEnvironment cpus("SLURM_CPUS_PER_TASK", nullptr);
  // A node of an emulated (or shared) host: the job owns 1 CPU here, whatever the host has.
  ScopedEnvironment node("SLURM_CPUS_ON_NODE", "1");
  EXPECT_EQ(cores_per_rank(ranks_on_node(1)), 1);
  ScopedEnvironment more("SLURM_CPUS_ON_NODE", "8");
  EXPECT_EQ(cores_per_rank(ranks_on_node(2)), 4);
  EXPECT_EQ(cores_per_rank(ranks_on_node(16)), 1);  // never 0
}

TEST(CoresPerRank, OutsideSlurmTheHostIsSharedByTheRanksOnIt) {
  if (process_is_bound()) GTEST_SKIP() << "this process is bound to some cores";
  ScopedEnvironment cpus("SLURM_CPUS_PER_TASK", nullptr);
  ScopedEnvironment node("SLURM_CPUS_ON_NODE", nullptr);
  const int host = int(sysconf(_SC_NPROCESSORS_ONLN));
  EXPECT_EQ(cores_per_rank(ranks_on_node(1)), host);
  EXPECT_EQ(cores_per_rank(ranks_on_node(host * 2)), 1);
}

TEST(ThreadsPerRank, AnAskedNumberOverridesSlurm) {
  ScopedEnvironment cpus("SLURM_CPUS_PER_TASK", "3");
  EXPECT_EQ(threads_per_rank(5, ranks_on_node(1)), 5);
  EXPECT_EQ(threads_per_rank(0, ranks_on_node(1)), 3);
}

}  // namespace
}  // namespace quarry::comm

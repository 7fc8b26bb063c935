// One rank fails while the others wait in a collective: the job must end with the failing
// rank's exit code instead of hanging. Uses the same run_guarded/finish_collective path as main.
#include "comm/session.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
  quarry::comm::Session session(&argc, &argv);
  auto world = session.world();
  auto outcome = quarry::run_guarded([&] {
    if (world.rank() == world.size() - 1)
      throw quarry::InputError("shard.h5", "/ids", "only this rank found a problem");
    world.barrier();  // the last rank never arrives
    return 0;
  });
  return quarry::comm::finish_collective(world, outcome);
}

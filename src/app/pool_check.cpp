#include <fmt/format.h>

#include <iostream>

#include "app/commands.hpp"
#include "comm/communicator.hpp"
#include "pool/verify.hpp"

namespace quarry::app {

int run_pool_check(const CommandLine& line) {
  po::options_description options("pool check");
  options.add_options()("pool", po::value<std::string>(), "pool file")(
      "batch-size", po::value<std::uint64_t>()->default_value(4096), "items per read");
  po::positional_options_description positional;
  positional.add("pool", 1);
  auto values = parse(line, "POOL.h5 [--batch-size B]   (under mpirun/srun: any rank count)",
                      options, positional);
  if (!values) return 0;
  comm::Communicator world(MPI_COMM_WORLD);
  auto result = pool::verify_pool(world, required<std::string>(*values, "pool"),
                                  (*values)["batch-size"].as<std::uint64_t>());
  if (world.is_root())
    std::cout << fmt::format(
        "pool check: {} items ok on {} rank(s), {:.1f} MB in {:.2f} s ({:.2f} GB/s), mean value "
        "{:.4f}\n",
        result.items, world.size(), double(result.bytes) / 1e6, result.seconds,
        result.seconds > 0 ? double(result.bytes) / result.seconds / 1e9 : 0.0, result.mean_value);
  if (world.is_root() && result.objects)
    std::cout << pool::format_object_stats(*result.objects, result.meta);
  return 0;
}

}  // namespace quarry::app

#include "comm/mpi_count.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace quarry::comm {

int mpi_count(std::size_t count, std::string_view operation) {
  if (count > kMaxMpiCount)
    throw Error(fmt::format("{}: {} elements are more than one MPI call can carry ({})", operation,
                            count, kMaxMpiCount));
  return static_cast<int>(count);
}

int gather_layout(const std::vector<std::uint64_t>& sizes, std::vector<int>& counts,
                  std::vector<int>& offsets) {
  std::uint64_t total = 0;
  for (const std::uint64_t size : sizes)
    if (__builtin_add_overflow(total, size, &total)) total = UINT64_MAX;
  mpi_count(total, "allgatherv (every rank's values together)");
  counts.assign(sizes.size(), 0);
  offsets.assign(sizes.size(), 0);
  int offset = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    counts[i] = static_cast<int>(sizes[i]);
    offsets[i] = offset;
    offset += counts[i];
  }
  return offset;
}

}  // namespace quarry::comm

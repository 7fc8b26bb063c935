#include "select/strategies/picks.hpp"

#include <cstring>

namespace quarry::select {

std::vector<Float16> gather_embeddings(const comm::Communicator& comm, const Shard& shard,
                                       const std::vector<std::uint32_t>& rows) {
  return gather_halves(comm, shard.embeddings, shard.dim(), rows);
}

std::vector<Float16> gather_halves(const comm::Communicator& comm,
                                   const std::vector<Float16>& values, std::size_t width,
                                   const std::vector<std::uint32_t>& rows) {
  const std::size_t row_bytes = width * sizeof(Float16);
  std::vector<std::uint8_t> mine(rows.size() * row_bytes);
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::memcpy(mine.data() + i * row_bytes, values.data() + rows[i] * width, row_bytes);
  const auto all = comm.allgatherv<std::uint8_t>(mine);
  std::vector<Float16> embeddings(all.size() / sizeof(Float16));
  // No rank had rows: both buffers may be null, and memcpy from null is undefined even for 0 bytes.
  if (!all.empty()) std::memcpy(embeddings.data(), all.data(), all.size());
  return embeddings;
}

}  // namespace quarry::select

#pragma once
// Which items each rank owns. Shards start on chunk boundaries, so a rank reads whole HDF5
// chunks and no chunk is decompressed or fetched by two ranks.
#include <cstdint>

namespace quarry::comm {

struct Range {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint64_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
};

// Range of part `index` of `parts` over n items, in units of `align` items (the last unit may be
// short). Units are spread as evenly as possible, the first ranks taking one extra; with fewer
// units than ranks the last ranks get empty ranges. The ranges tile [0, n) in rank order.
Range shard_range(std::uint64_t n, int parts, int index, std::uint64_t align = 1);

}  // namespace quarry::comm

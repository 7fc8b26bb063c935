#include "comm/shard.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace quarry::comm {

Range shard_range(std::uint64_t n, int parts, int index, std::uint64_t align) {
  if (parts <= 0 || index < 0 || index >= parts || align == 0)
    throw Error("shard_range: invalid arguments (parts, index or align)");
  const std::uint64_t units = (n + align - 1) / align;
  const auto p = static_cast<std::uint64_t>(parts), i = static_cast<std::uint64_t>(index);
  const std::uint64_t base = units / p, extra = units % p;
  const std::uint64_t first_unit = i * base + std::min(i, extra);
  const std::uint64_t unit_count = base + (i < extra ? 1 : 0);
  return {std::min(n, first_unit * align), std::min(n, (first_unit + unit_count) * align)};
}

}  // namespace quarry::comm

#pragma once
// Randomness keyed by (seed, item id, stream): the same item gets the same draw on any rank, so
// no selection depends on how items were split across ranks (DESIGN.md, determinism).
#include <cstdint>

namespace quarry::select {

// splitmix64's finaliser: a bijective 64-bit mix with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

constexpr std::uint64_t item_hash(std::uint64_t seed, std::uint64_t id, std::uint64_t stream = 0) {
  return mix64(mix64(mix64(seed) ^ id) ^ stream);
}

// Uniform in (0, 1): 53 random bits, never 0 (so log(u) is finite).
constexpr double item_uniform(std::uint64_t seed, std::uint64_t id, std::uint64_t stream = 0) {
  return (double(item_hash(seed, id, stream) >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace quarry::select

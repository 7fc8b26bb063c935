#pragma once
// One rule for randomness. Nothing in quarry draws from a shared generator: every draw is
// keyed_hash(stream seed, key, draw), so the same item (or batch row, or class) gets the same
// value on any rank, thread or split of the work (DESIGN.md, determinism). A stream's seed comes
// from the user's seed through derive_seed(seed, purpose, index) with the round, epoch, rank,
// annotator or pass as the index, so no two streams share draws by accident and no stage invents
// its own arithmetic (seed * 1000 + round) for it.
#include <cstdint>

namespace quarry {

// SplitMix64's finaliser: a bijective 64-bit mix with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The keyed hash behind every draw: `draw` tells apart several draws for one key.
constexpr std::uint64_t keyed_hash(std::uint64_t seed, std::uint64_t key, std::uint64_t draw = 0) {
  return mix64(mix64(mix64(seed) ^ key) ^ draw);
}

// Uniform in (0, 1): 53 random bits, never 0 (so log(u) is finite).
constexpr double keyed_uniform(std::uint64_t seed, std::uint64_t key, std::uint64_t draw = 0) {
  return (double(keyed_hash(seed, key, draw) >> 11) + 0.5) * 0x1.0p-53;
}

// What a stream of randomness is for. The values enter the seeds: renumbering one changes every
// result that depends on it.
enum class Purpose : std::uint64_t {
  synthetic_pool = 1,         // index 0: the items; 1 + c: class c's prototype
  selection = 2,              // index: the round
  export_batch = 3,           // index: the round (annotator assignment, gold items)
  training = 4,               // index: the round (the seed a round's train stage gets)
  epoch_order = 5,            // index: the epoch
  training_dropout = 6,       // index: the rank
  scoring_dropout = 7,        // index: the MC-dropout pass
  seed_batch = 8,             // simulate's first, random batch
  simulated_answers = 9,      // index: the annotator
  simulated_confusions = 10,  // index: the annotator
  augmentation = 11,          // index: the epoch
  stop_set = 12,              // the stopping criterion's fixed unlabeled items
  confident_folds = 13,       // confident learning's fold of each ledger item
  unlabeled_order = 14,       // index: the epoch (semi-supervised training's unlabeled draws)
  strong_augmentation = 15,   // index: the epoch (semi-supervised training's strong views)
};

// The seed of the stream (purpose, index) under the user's seed.
constexpr std::uint64_t derive_seed(std::uint64_t seed, Purpose purpose, std::uint64_t index = 0) {
  return keyed_hash(seed, static_cast<std::uint64_t>(purpose), index);
}

}  // namespace quarry

#pragma once
// Synthetic image pools with real class structure, for tests and scale runs. Each class has a
// smooth random prototype; an item is its class prototype, shifted by a few pixels, scaled,
// blended with a second class (so some items are genuinely ambiguous) and noised. Every pixel
// is a function of (seed, item id), so any block can be generated independently and in parallel.
#include <cstdint>
#include <filesystem>
#include <span>

#include "core/atomic_output.hpp"
#include "files/pool/schema.hpp"

namespace quarry::pool {

struct SynthSpec {
  std::uint64_t count = 0;
  ItemShape shape;  // images only
  int classes = 10;
  std::uint64_t seed = 0;
  std::uint64_t first_id = 0;
};

// Pools with objects (synth_objects.cpp): `spec.classes` is ignored, the task decides them.
struct ObjectSynth {
  Task task = Task::keypoints;  // detect (circles, squares, triangles) | keypoints (heads)
  int max_objects = 4;          // 1..max_objects per image
};

class SynthGenerator {
 public:
  explicit SynthGenerator(const SynthSpec& spec);
  // Fills items [first, first + labels.size()) of the pool: pixels, ids, labels.
  void generate(std::uint64_t first, std::span<std::uint8_t> pixels, std::span<std::uint64_t> ids,
                std::span<std::int32_t> labels) const;

 private:
  SynthSpec spec_;
  std::vector<float> prototypes_;  // classes x C x H x W, values in [0, 1]
};

void write_synth_pool(const SynthSpec& spec, const std::filesystem::path& out, Overwrite overwrite);
void write_object_pool(const SynthSpec& spec, const ObjectSynth& objects,
                       const std::filesystem::path& out, Overwrite overwrite);

}  // namespace quarry::pool

#include "pool/synth.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "core/seeded.hpp"
#include "files/pool/writer.hpp"
#include "pool/synth_canvas.hpp"

namespace quarry::pool {

namespace {
// A prototype: a few Gaussian blobs and one oriented stripe pattern per channel, so classes
// differ in shape and texture, not only in brightness.
void draw_prototype(std::span<float> out, const ItemShape& shape, Stream& rng) {
  const auto c_count = shape.dims[0], h = shape.dims[1], w = shape.dims[2];
  for (std::uint64_t c = 0; c < c_count; ++c) {
    float* plane = out.data() + c * h * w;
    std::fill(plane, plane + h * w, 0.0f);
    for (int blob = 0; blob < 3; ++blob) {
      float cy = (0.2f + 0.6f * rng.uniform()) * float(h),
            cx = (0.2f + 0.6f * rng.uniform()) * float(w);
      float sy = (0.08f + 0.15f * rng.uniform()) * float(h),
            sx = (0.08f + 0.15f * rng.uniform()) * float(w);
      float amp = 0.5f + 0.5f * rng.uniform();
      for (std::uint64_t y = 0; y < h; ++y)
        for (std::uint64_t x = 0; x < w; ++x) {
          float dy = (float(y) - cy) / sy, dx = (float(x) - cx) / sx;
          plane[y * w + x] += amp * std::exp(-0.5f * (dy * dy + dx * dx));
        }
    }
    float angle = 3.14159265f * rng.uniform(), freq = 0.3f + 0.6f * rng.uniform();
    float ca = std::cos(angle) * freq, sa = std::sin(angle) * freq;
    for (std::uint64_t y = 0; y < h; ++y)
      for (std::uint64_t x = 0; x < w; ++x)
        plane[y * w + x] =
            std::clamp(0.75f * plane[y * w + x] +
                           0.25f * (0.5f + 0.5f * std::sin(ca * float(x) + sa * float(y))),
                       0.0f, 1.0f);
  }
}
}  // namespace

SynthGenerator::SynthGenerator(const SynthSpec& spec) : spec_(spec) {
  if (spec_.classes < 1) throw UsageError("--classes must be at least 1");
  const auto item = spec_.shape.elements();
  prototypes_.resize(static_cast<size_t>(spec_.classes) * item);
  for (int c = 0; c < spec_.classes; ++c) {
    Stream rng{derive_seed(spec_.seed, Purpose::synthetic_pool, 1 + static_cast<std::uint64_t>(c))};
    draw_prototype(std::span(prototypes_).subspan(c * item, item), spec_.shape, rng);
  }
}

void SynthGenerator::generate(std::uint64_t first, std::span<std::uint8_t> pixels,
                              std::span<std::uint64_t> ids, std::span<std::int32_t> labels) const {
  const auto item = spec_.shape.elements();
  const auto c_count = spec_.shape.dims[0];
  const auto h = static_cast<std::int64_t>(spec_.shape.dims[1]);
  const auto w = static_cast<std::int64_t>(spec_.shape.dims[2]);
  const auto classes = static_cast<std::uint64_t>(spec_.classes);
  const std::uint64_t items_seed = derive_seed(spec_.seed, Purpose::synthetic_pool, 0);
  tbb::parallel_for(
      tbb::blocked_range<std::uint64_t>(0, labels.size(), 256), [&](const auto& range) {
        for (std::uint64_t i = range.begin(); i != range.end(); ++i) {
          const std::uint64_t id = spec_.first_id + first + i;
          Stream rng{keyed_hash(items_seed, id)};
          const auto label = rng.next() % classes;
          const auto other =
              (label + 1 + rng.next() % std::max<std::uint64_t>(1, classes - 1)) % classes;
          const float blend = classes > 1 ? 0.45f * rng.uniform() * rng.uniform() : 0.0f;
          const float gain = 0.75f + 0.5f * rng.uniform();
          const auto dy = static_cast<std::int64_t>(rng.next() % 5) - 2;
          const auto dx = static_cast<std::int64_t>(rng.next() % 5) - 2;
          const float* main_proto = prototypes_.data() + label * item;
          const float* other_proto = prototypes_.data() + other * item;
          std::uint8_t* out = pixels.data() + i * item;
          for (std::uint64_t c = 0; c < c_count; ++c)
            for (std::int64_t y = 0; y < h; ++y) {
              const std::int64_t sy = std::clamp<std::int64_t>(y - dy, 0, h - 1);
              for (std::int64_t x = 0; x < w; ++x) {
                const std::int64_t sx = std::clamp<std::int64_t>(x - dx, 0, w - 1);
                const auto at = static_cast<std::uint64_t>((std::int64_t(c) * h + sy) * w + sx);
                const float noise = rng.uniform() - 0.5f;
                const float value =
                    gain * ((1 - blend) * main_proto[at] + blend * other_proto[at]) + 0.25f * noise;
                out[(c * static_cast<std::uint64_t>(h) + static_cast<std::uint64_t>(y)) *
                        static_cast<std::uint64_t>(w) +
                    static_cast<std::uint64_t>(x)] =
                    static_cast<std::uint8_t>(std::clamp(value, 0.0f, 1.0f) * 255.0f + 0.5f);
              }
            }
          ids[i] = id;
          labels[i] = static_cast<std::int32_t>(label);
        }
      });
}

void write_synth_pool(const SynthSpec& spec, const std::filesystem::path& out,
                      Overwrite overwrite) {
  if (spec.count == 0) throw UsageError("--n must be at least 1");
  SynthGenerator generator(spec);
  PoolSpec pool{spec.count, spec.shape, {}, {}, true, 0, {}, false};
  for (int c = 0; c < spec.classes; ++c) pool.classes.push_back(fmt::format("class{}", c));
  pool.source = fmt::format("quarry pool synth --n {} --shape {} --classes {} --seed {}",
                            spec.count, fmt::join(spec.shape.dims, "x"), spec.classes, spec.seed);
  PoolWriter writer(out, overwrite, pool);
  // Blocks of whole chunks: generated in parallel, written by this (the only HDF5) thread.
  const std::uint64_t block = default_chunk_rows(spec.shape.bytes()) * 16;
  std::vector<std::uint8_t> pixels(block * spec.shape.elements());
  std::vector<std::uint64_t> ids(block);
  std::vector<std::int32_t> labels(block);
  for (std::uint64_t first = 0; first < spec.count; first += block) {
    const std::uint64_t n = std::min(block, spec.count - first);
    generator.generate(first, std::span(pixels).first(n * spec.shape.elements()),
                       std::span(ids).first(n), std::span(labels).first(n));
    writer.append(std::span<const std::uint8_t>(pixels).first(n * spec.shape.elements()),
                  std::span<const std::uint64_t>(ids).first(n),
                  std::span<const std::int32_t>(labels).first(n));
  }
  writer.finish();
}

}  // namespace quarry::pool

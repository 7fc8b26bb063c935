// `pool synth --task keypoints | detect`: images with several objects on a cluttered, noisy
// background, and their ground truth. keypoints: heads (synth_heads.hpp), one class "head".
// detect: bright circles, squares and triangles, three classes. Every image is a function of
// (seed, item id).
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "files/pool/writer.hpp"
#include "pool/synth.hpp"
#include "pool/synth_canvas.hpp"
#include "pool/synth_heads.hpp"

namespace quarry::pool {

namespace {

constexpr float kNoise = 0.06f;
const std::vector<std::string> kShapes = {"circle", "square", "triangle"};

struct Request {
  const SynthSpec& spec;
  const ObjectSynth& objects;
};

void add_heads(Canvas& canvas, Stream& rng, int count, ObjectTable& objects) {
  const float side = float(std::min(canvas.width(), canvas.height()));
  // Boxes leave room for the ears; the head is centred in its box.
  const auto boxes = place_boxes(
      rng, count, canvas.width(), canvas.height(), 1.1f,
      [&](Stream& r) { return r.between(0.16f, 0.42f) * side; }, 0.1);
  for (const auto& box : boxes) {
    Head head;
    head.a = (box[2] - box[0]) / 2 / (1 + kEarReach);
    head.b = std::min(head.a * rng.between(1.1f, 1.25f), (box[3] - box[1]) / 2);
    head.cx = (box[0] + box[2]) / 2;
    head.cy = (box[1] + box[3]) / 2;
    head.yaw = rng.between(-kMaxYaw, kMaxYaw);
    draw_head(canvas, head, rng);
    const HeadTruth truth = head_truth(head);
    objects.add_object(truth.box, 0, truth.keypoints);
  }
}

void add_shapes(Canvas& canvas, Stream& rng, int count, ObjectTable& objects) {
  const float side = float(std::min(canvas.width(), canvas.height()));
  const auto boxes = place_boxes(
      rng, count, canvas.width(), canvas.height(), 1.0f,
      [&](Stream& r) { return r.between(0.1f, 0.35f) * side; }, 0.1);
  for (const auto& b : boxes) {
    const Color color = random_color(rng, 0.6f, 1.0f);
    const auto label = static_cast<std::int32_t>(rng.next() % kShapes.size());
    if (label == 0)
      canvas.ellipse((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[2] - b[0]) / 2, (b[3] - b[1]) / 2,
                     color);
    else if (label == 1)
      canvas.rectangle(b[0], b[1], b[2], b[3], color);
    else
      canvas.triangle({(b[0] + b[2]) / 2, b[1], b[2], b[3], b[0], b[3]}, color);
    objects.add_object(b, label);
  }
}

// Item `id` into `pixels` (one item), its objects appended as one row.
void render_item(const Request& request, std::uint64_t id, std::span<std::uint8_t> pixels,
                 ObjectTable& objects) {
  const SynthSpec& spec = request.spec;
  const std::uint64_t items_seed = derive_seed(spec.seed, Purpose::synthetic_pool, 0);
  Stream rng{keyed_hash(items_seed, id, 1 + static_cast<std::uint64_t>(request.objects.task))};
  Canvas canvas(std::uint32_t(spec.shape.dims[0]), std::uint32_t(spec.shape.dims[1]),
                std::uint32_t(spec.shape.dims[2]));
  canvas.background(rng, int(rng.next() % 9));
  const int count = 1 + int(rng.next() % std::uint64_t(request.objects.max_objects));
  objects.add_row();
  if (request.objects.task == Task::keypoints)
    add_heads(canvas, rng, count, objects);
  else
    add_shapes(canvas, rng, count, objects);
  canvas.finish(rng, kNoise, pixels);
}

PoolSpec object_pool_spec(const Request& request) {
  const SynthSpec& spec = request.spec;
  PoolSpec pool{spec.count, spec.shape, {}, {}, false, 0, {}, false};
  pool.task.kind = request.objects.task;
  pool.task.has_objects = true;
  if (request.objects.task == Task::keypoints) {
    pool.classes = {"head"};
    pool.task.keypoint_names = head_keypoint_names();
    pool.task.flip_pairs = head_flip_pairs();
    pool.task.skeleton = head_skeleton();
  } else {
    pool.classes = kShapes;
  }
  pool.source =
      fmt::format("quarry pool synth --task {} --n {} --shape {} --max-objects {} --seed {}",
                  task_name(request.objects.task), spec.count, fmt::join(spec.shape.dims, "x"),
                  request.objects.max_objects, spec.seed);
  return pool;
}

}  // namespace

void write_object_pool(const SynthSpec& spec, const ObjectSynth& objects_spec,
                       const std::filesystem::path& out, Overwrite overwrite) {
  if (spec.count == 0) throw UsageError("--n must be at least 1");
  if (objects_spec.task == Task::classify)
    throw Error("write_object_pool: classification pools come from write_synth_pool");
  if (objects_spec.max_objects < 1) throw UsageError("--max-objects must be at least 1");
  const Request request{spec, objects_spec};
  if (spec.shape.dims[1] < 24 || spec.shape.dims[2] < 24)
    throw UsageError(fmt::format("--shape {}: images with objects need at least 24x24 pixels",
                                 fmt::join(spec.shape.dims, "x")));
  PoolWriter writer(out, overwrite, object_pool_spec(request));
  const std::uint64_t item = spec.shape.elements();
  const std::uint64_t block = 256;
  std::vector<std::uint8_t> pixels(block * item);
  std::vector<std::uint64_t> ids(block);
  std::vector<ObjectTable> rows(block);
  for (std::uint64_t first = 0; first < spec.count; first += block) {
    const std::uint64_t n = std::min(block, spec.count - first);
    // Rendered in parallel, written by this (the only HDF5) thread.
    tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t i) {
      ids[i] = spec.first_id + first + i;
      rows[i].clear();
      render_item(request, ids[i], std::span(pixels).subspan(i * item, item), rows[i]);
    });
    ObjectTable objects;
    for (std::uint64_t i = 0; i < n; ++i) objects.append(rows[i]);
    writer.append(std::span<const std::uint8_t>(pixels).first(n * item),
                  std::span<const std::uint64_t>(ids).first(n));
    writer.append_objects(objects);
  }
  writer.finish();
}

}  // namespace quarry::pool

#include "train/detection_set.hpp"

#include <array>
#include <numeric>
#include <span>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "train/ledger_rows.hpp"

namespace quarry::train {

std::size_t DetectionSet::elements() const {
  return static_cast<std::size_t>(
      std::accumulate(item_shape.begin(), item_shape.end(), std::int64_t{1}, std::multiplies<>()));
}

TargetShape DetectionSet::target_shape() const {
  return {static_cast<int>(classes.size()), keypoints(), static_cast<int>(item_shape[1]),
          static_cast<int>(item_shape[2]), 4};
}

ItemObjects DetectionSet::item_objects(std::size_t item) const {
  ItemObjects out;
  const std::size_t first = objects.first(item), count = objects.objects(item);
  const std::size_t k3 = std::size_t(keypoints()) * 3;
  out.boxes.assign(objects.boxes.begin() + long(4 * first),
                   objects.boxes.begin() + long(4 * (first + count)));
  out.labels.assign(objects.labels.begin() + long(first),
                    objects.labels.begin() + long(first + count));
  if (k3 > 0 && !objects.keypoints.empty())
    out.keypoints.assign(objects.keypoints.begin() + long(k3 * first),
                         objects.keypoints.begin() + long(k3 * (first + count)));
  if (!objects.crowd.empty())
    out.crowd.assign(objects.crowd.begin() + long(first),
                     objects.crowd.begin() + long(first + count));
  if (!weights.empty())
    out.weights.assign(weights.begin() + long(first), weights.begin() + long(first + count));
  return out;
}

namespace {

void check_pool(const std::filesystem::path& path, const pool::PoolMeta& meta) {
  if (meta.task.kind == pool::Task::classify)
    throw Error("load_detection_set on a classification pool " + path.string());
  if (meta.shape.kind != pool::Kind::images)
    throw InputError(path.string(), "/features", "detection needs an image pool");
}

// Training without a ledger of objects uses the pool's ground truth, which it must have.
void require_pool_objects(const std::filesystem::path& path, const pool::PoolMeta& meta) {
  if (!meta.task.has_objects)
    throw InputError(path.string(), "/objects",
                     "is missing, and no ledger with objects names what to train on",
                     "give --labels a ledger that quarry ingest filled with boxes");
}

// The ledger's consensus objects as the training table, each object weighted by its confidence
// (the share of annotators behind it, or the tool's score).
void use_ledger_objects(const ingest::ObjectRows& rows, DetectionSet& set) {
  set.objects = pool::ObjectTable{};
  set.weights.clear();
  const std::size_t k3 = std::size_t(set.keypoints()) * 3;
  for (std::size_t row = 0; row < rows.rows(); ++row) {
    set.objects.add_row();
    for (std::size_t o = rows.first(row); o < rows.first(row) + rows.objects(row); ++o) {
      const std::array<float, 4> box{rows.boxes[4 * o], rows.boxes[4 * o + 1],
                                     rows.boxes[4 * o + 2], rows.boxes[4 * o + 3]};
      const std::span<const float> points =
          rows.keypoints.empty() ? std::span<const float>{}
                                 : std::span<const float>(rows.keypoints.data() + k3 * o, k3);
      set.objects.add_object(box, rows.labels[o], points);
      set.weights.push_back(rows.confidence[o]);
    }
  }
}

// The rows `rows` of a whole-pool table, in that order.
pool::ObjectTable select_rows(const pool::ObjectTable& all, const std::vector<std::uint64_t>& rows,
                              std::size_t keypoints) {
  pool::ObjectTable out;
  const std::size_t k3 = keypoints * 3;
  for (const auto row : rows) {
    out.add_row();
    for (std::size_t o = all.first(row); o < all.first(row) + all.objects(row); ++o) {
      const std::array<float, 4> box{all.boxes[4 * o], all.boxes[4 * o + 1], all.boxes[4 * o + 2],
                                     all.boxes[4 * o + 3]};
      const std::span<const float> points =
          all.keypoints.empty() ? std::span<const float>{}
                                : std::span<const float>(all.keypoints.data() + k3 * o, k3);
      out.add_object(box, all.labels[o], points, !all.crowd.empty() && all.crowd[o],
                     all.area.empty() ? -1.0f : all.area[o]);
    }
  }
  return out;
}

}  // namespace

DetectionSet load_detection_set(const std::filesystem::path& pool_path,
                                const std::filesystem::path& ledger_path) {
  const auto pool = pool::PoolFile::open(pool_path);
  const auto& meta = pool.meta();
  check_pool(pool_path, meta);
  DetectionSet set;
  set.item_shape.assign(meta.shape.dims.begin(), meta.shape.dims.end());
  set.classes = meta.classes;
  set.task = meta.task;
  std::vector<std::uint64_t> rows;
  if (ledger_path.empty()) {
    require_pool_objects(pool_path, meta);
    rows.resize(meta.count);
    std::iota(rows.begin(), rows.end(), 0);
    set.ids = pool.ids().read_all<std::uint64_t>();
    set.objects = pool::read_objects(pool, 0, meta.count);
  } else {
    auto found = locate_ledger_items(pool, ledger_path);
    rows = std::move(found.rows);
    set.ids = std::move(found.ledger.ids);
    if (found.ledger.objects.present) {
      use_ledger_objects(found.ledger.objects.current, set);
    } else {  // a ledger of labeled items only: their objects are the pool's (part 1)
      require_pool_objects(pool_path, meta);
      set.objects = select_rows(pool::read_objects(pool, 0, meta.count), rows, set.keypoints());
    }
    set.ledger_sha256 = sha256_file(ledger_path);
  }
  set.pixels = read_item_rows<std::uint8_t>(pool, rows);
  return set;
}

DetectionTargets fill_detection_batch(const DetectionSet& set, std::span<const std::size_t> global,
                                      std::span<const std::size_t> mine,
                                      const DetectionAugment& augment, std::uint64_t seed,
                                      int epoch, float scale, float shift, float* out) {
  DetectionTargets targets(set.target_shape(), static_cast<std::int64_t>(mine.size()));
  const int channels = static_cast<int>(set.item_shape[0]);
  const int height = static_cast<int>(set.item_shape[1]);
  const int width = static_cast<int>(set.item_shape[2]);
  const std::size_t k3 = std::size_t(set.keypoints()) * 3;
  for (const auto item : global)
    for (std::size_t o = set.objects.first(item);
         o < set.objects.first(item) + set.objects.objects(item); ++o) {
      if (!set.objects.crowd.empty() && set.objects.crowd[o]) continue;
      targets.objects += 1;
      for (std::size_t k = 0; k < std::size_t(set.keypoints()) && !set.objects.keypoints.empty();
           ++k)
        targets.visible_keypoints += set.objects.keypoints[k3 * o + 3 * k + 2] > 0 ? 1 : 0;
    }
  for (std::size_t b = 0; b < mine.size(); ++b) {
    const std::size_t item = mine[b];
    const auto t = draw_transform(augment, seed, epoch, set.ids[item], height, width);
    transform_image(set.pixels.data() + item * set.elements(), channels, height, width, t, scale,
                    shift, out + b * set.elements());
    add_item_targets(targets, static_cast<std::int64_t>(b),
                     transform_objects(set.item_objects(item), t, height, width, set.keypoints(),
                                       augment.flip_pairs));
  }
  return targets;
}

}  // namespace quarry::train

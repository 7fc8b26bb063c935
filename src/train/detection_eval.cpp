#include "train/detection_eval.hpp"

#include <optional>

#include "comm/placement.hpp"
#include "comm/session.hpp"
#include "comm/shard.hpp"
#include "core/error.hpp"
#include "files/pool/objects.hpp"
#include "files/pool/shard_reader.hpp"
#include "model/device_input.hpp"
#include "model/threads.hpp"

namespace quarry::train {

namespace {

// A gathered detection: pool row, label, score, x0, y0, x1, y1, then K * 3 keypoint values.
constexpr std::size_t kFixed = 7;

void check_pool(const std::filesystem::path& path, const pool::PoolMeta& meta) {
  if (meta.task.kind == pool::Task::classify || !meta.task.has_objects)
    throw InputError(
        path.string(), "/objects",
        "is missing: detection evaluation needs the pool's ground-truth objects",
        "evaluate on a pool imported with its annotations (pool import --format coco)");
}

// This rank's detections (scores > 0) on its shard, flat as described at kFixed.
std::vector<double> detect_shard(const std::filesystem::path& path, const pool::PoolMeta& meta,
                                 comm::Range shard, model::LoadedModel& model, std::int64_t batch) {
  std::vector<double> out;
  if (shard.empty()) return out;
  c10::InferenceMode guard;
  model.module().train(false);
  auto input = model::make_cpu_input(
      {std::vector<std::int64_t>(meta.shape.dims.begin(), meta.shape.dims.end()), batch},
      model.input_affine());
  pool::ShardReader reader(path, shard, static_cast<std::uint64_t>(batch));
  const auto keypoints = static_cast<std::int64_t>(meta.task.keypoints());
  while (const pool::Batch* b = reader.next()) {
    const auto& x =
        input->prepare({b->first_row, b->count, b->ids.data(), b->pixels.data(), nullptr});
    const auto found =
        model.forward_prepared(x).detections->narrow(static_cast<std::int64_t>(b->count));
    const auto boxes = found.boxes.to(torch::kCPU, torch::kDouble).contiguous();
    const auto scores = found.scores.to(torch::kCPU, torch::kDouble).contiguous();
    const auto labels = found.labels.to(torch::kCPU, torch::kDouble).contiguous();
    torch::Tensor points;
    if (keypoints > 0) points = found.keypoints.to(torch::kCPU, torch::kDouble).contiguous();
    const std::int64_t slots = found.slots();
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(b->count); ++i)
      for (std::int64_t d = 0; d < slots; ++d) {
        const double score = scores.data_ptr<double>()[i * slots + d];
        if (!(score > 0)) continue;
        const double* box = boxes.data_ptr<double>() + (i * slots + d) * 4;
        out.insert(out.end(), {double(b->first_row + std::uint64_t(i)),
                               labels.data_ptr<double>()[i * slots + d], score, box[0], box[1],
                               box[2], box[3]});
        if (keypoints > 0) {
          const double* p = points.data_ptr<double>() + (i * slots + d) * keypoints * 3;
          out.insert(out.end(), p, p + keypoints * 3);
        }
      }
  }
  return out;
}

// The pool's objects as COCO ground truth: image ids = item ids, category = label + 1, object
// ids 1, 2, ... in pool order.
detect::GroundTruth ground_truth(const pool::PoolFile& pool,
                                 const std::vector<std::uint64_t>& ids) {
  const auto& meta = pool.meta();
  const auto objects = pool::read_objects(pool, 0, meta.count);
  const std::size_t k3 = meta.task.keypoints() * 3;
  detect::GroundTruth truth;
  for (const auto id : ids) truth.image_ids.push_back(static_cast<std::int64_t>(id));
  for (std::size_t c = 0; c < meta.classes.size(); ++c)
    truth.categories.push_back({static_cast<std::int64_t>(c) + 1, meta.classes[c]});
  for (std::size_t row = 0; row < objects.rows(); ++row)
    for (std::size_t o = objects.first(row); o < objects.first(row) + objects.objects(row); ++o) {
      detect::TruthObject t;
      t.id = static_cast<std::int64_t>(truth.objects.size()) + 1;
      t.image_id = static_cast<std::int64_t>(ids[row]);
      t.category_id = objects.labels[o] + 1;
      const float* b = objects.boxes.data() + 4 * o;
      t.box = detect::from_corners(b[0], b[1], b[2], b[3]);
      t.area = objects.area[o];
      t.crowd = objects.crowd[o] != 0;
      if (k3 > 0) {
        t.keypoints.assign(objects.keypoints.begin() + long(k3 * o),
                           objects.keypoints.begin() + long(k3 * (o + 1)));
        for (std::size_t k = 2; k < k3; k += 3) t.num_keypoints += t.keypoints[k] > 0 ? 1 : 0;
      }
      truth.objects.push_back(std::move(t));
    }
  return truth;
}

// Rank 0: the gathered detections against the pool's objects.
DetectionEvalResult evaluate_gathered(const std::filesystem::path& path,
                                      const std::vector<double>& found) {
  const auto pool = pool::PoolFile::open(path);
  const auto& meta = pool.meta();
  const auto ids = pool.ids().read_all<std::uint64_t>();
  const auto truth = ground_truth(pool, ids);
  const std::size_t k3 = meta.task.keypoints() * 3, width = kFixed + k3;
  std::vector<detect::Detection> boxes, keypoints;
  for (std::size_t at = 0; at + width <= found.size(); at += width) {
    const double* d = found.data() + at;
    const auto image = static_cast<std::int64_t>(ids[static_cast<std::size_t>(d[0])]);
    const auto category = static_cast<std::int64_t>(d[1]) + 1;
    boxes.push_back(
        detect::box_detection(image, category, detect::from_corners(d[3], d[4], d[5], d[6]), d[2]));
    if (k3 > 0)
      keypoints.push_back(detect::keypoint_detection(
          image, category, std::vector<double>(d + kFixed, d + width), d[2]));
  }
  DetectionEvalResult result;
  result.items = meta.count;
  result.boxes = detect::evaluate(truth, boxes, detect::default_params(detect::IouType::bbox));
  if (k3 > 0)
    result.keypoints = detect::evaluate(
        truth, keypoints,
        detect::default_params(detect::IouType::keypoints, meta.task.keypoint_sigmas));
  return result;
}

}  // namespace

model::LoadedModel load_detector(const std::filesystem::path& model_path,
                                 const std::filesystem::path& pool_path) {
  const auto meta = pool::PoolFile::open(pool_path).meta();
  check_pool(pool_path, meta);
  return model::LoadedModel::load(
      model_path, {std::vector<std::int64_t>(meta.shape.dims.begin(), meta.shape.dims.end()),
                   static_cast<std::int64_t>(meta.classes.size()), true,
                   static_cast<std::int64_t>(meta.task.keypoints())});
}

DetectionEvalResult evaluate_detector(const comm::Communicator& world,
                                      const std::filesystem::path& pool_path,
                                      model::LoadedModel& model, std::int64_t batch) {
  const auto meta = pool::PoolFile::open(pool_path).meta();
  comm::agree_on_errors(world, [&] { check_pool(pool_path, meta); });
  const auto shard = comm::shard_range(meta.count, world.size(), world.rank(),
                                       meta.chunk_rows ? meta.chunk_rows : 1);
  const auto mine = detect_shard(pool_path, meta, shard, model, batch);
  // Every rank's detections, in rank order (= pool order); evaluated once, on rank 0.
  const auto all = world.allgatherv(std::span<const double>(mine));
  DetectionEvalResult result;
  comm::on_root_for_all(world, [&] { result = evaluate_gathered(pool_path, all); });
  return result;
}

nlohmann::json detection_eval_json(const DetectionEvalResult& result) {
  nlohmann::json out = {{"items", result.items}, {"bbox", detect::to_json(result.boxes)}};
  if (result.keypoints) out["keypoints"] = detect::to_json(*result.keypoints);
  return out;
}

DetectionEvalResult evaluate_detection_model(const comm::Communicator& world,
                                             const std::filesystem::path& pool,
                                             const std::filesystem::path& model_path, int threads) {
  model::use_threads(comm::threads_per_rank(threads, comm::node_placement(world)));
  std::optional<model::LoadedModel> model;
  comm::agree_on_errors(world, [&] { model.emplace(load_detector(model_path, pool)); });
  return evaluate_detector(world, pool, *model);
}

}  // namespace quarry::train

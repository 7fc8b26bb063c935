#include "export/object_prelabels.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "files/pool/schema.hpp"
#include "files/scores/row_detections.hpp"
#include "files/scores/scores_file.hpp"

namespace quarry::exporting {

namespace {

void check_scores(const score::ScoresFile& scores, const pool::PoolFile& pool) {
  const std::string name = scores.path().string();
  if (!scores.meta().has_detections())
    throw InputError(name, score::kDetectionsGroup,
                     fmt::format("is missing: the pool {} is a {} pool and its pre-labels are the "
                                 "model's detections",
                                 pool.path().string(), pool::task_name(pool.meta().task.kind)),
                     "score the pool with a detection model ('quarry model init --arch "
                     "centernet-small', then 'quarry score')");
  if (scores.meta().keypoints != pool.meta().task.keypoints())
    throw InputError(
        name, score::kDetectionKeypoints,
        fmt::format("has {} keypoints per detection but the pool {} names {}",
                    scores.meta().keypoints, pool.path().string(), pool.meta().task.keypoints()));
}

// A detection's keypoints in the annotator's image: unlabelled (0, 0, 0) where outside it.
void map_keypoints(const float* xyc, std::size_t k, const pool::SourceTransform& t,
                   const pool::ImageSize& image, ObjectPreLabel& object) {
  for (std::size_t j = 0; j < k; ++j) {
    const auto [x, y] = pool::point_to_source(xyc[3 * j], xyc[3 * j + 1], t);
    const bool inside = x >= 0 && y >= 0 && x <= image.width && y <= image.height;
    object.keypoints.insert(object.keypoints.end(),
                            {inside ? x : 0, inside ? y : 0, inside ? pool::kVisible : 0.0});
    object.keypoint_confidence.push_back(xyc[3 * j + 2]);
  }
}

}  // namespace

bool clip_to_image(std::array<double, 4>& box, const pool::ImageSize& image) {
  box[0] = std::clamp<double>(box[0], 0, image.width);
  box[2] = std::clamp<double>(box[2], 0, image.width);
  box[1] = std::clamp<double>(box[1], 0, image.height);
  box[3] = std::clamp<double>(box[3], 0, image.height);
  return box[2] > box[0] && box[3] > box[1];
}

void add_object_prelabels(const pool::PoolFile& pool, const score::ScoresFile& scores,
                          ExportBatch& batch) {
  check_scores(scores, pool);
  const pool::PoolSources sources = pool::read_sources(pool);
  std::vector<std::uint64_t> rows;
  for (const ExportTask& task : batch.tasks) rows.push_back(task.pool_row);
  const score::RowDetections d = score::read_row_detections(scores, rows);
  const std::size_t k = pool.meta().task.keypoints();
  const std::string pool_name = pool.path().string();
  for (ExportTask& task : batch.tasks) {
    const std::size_t at = d.at(task.pool_row);
    const pool::SourceTransform t = pool::source_transform(sources, task.pool_row);
    task.shown = pool::annotator_image_size(pool.meta(), sources, task.pool_row, pool_name);
    if (!sources.paths.empty()) task.original = sources.paths[task.pool_row];
    for (const std::uint64_t i : score::prelabel_detections(d, at, batch.prelabel_min_confidence)) {
      if (d.labels[i] < 0 || static_cast<std::size_t>(d.labels[i]) >= batch.classes.size())
        throw InputError(scores.path().string(), score::kDetectionLabels,
                         fmt::format("row {} (id {}) has a detection of class {}, outside the {} "
                                     "classes",
                                     task.pool_row, task.id, d.labels[i], batch.classes.size()));
      ObjectPreLabel object;
      object.class_index = d.labels[i];
      object.confidence = d.confidence[i];
      object.box = pool::box_to_source(&d.boxes[4 * i], t);
      if (!clip_to_image(object.box, task.shown)) continue;  // all in the letterbox padding
      if (k > 0) map_keypoints(&d.keypoints[3 * k * i], k, t, task.shown, object);
      task.objects.push_back(std::move(object));
    }
  }
}

}  // namespace quarry::exporting

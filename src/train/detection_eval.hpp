#pragma once
// COCO evaluation of a loaded detector on a pool with objects: every rank runs the model on its
// chunk-aligned shard, the detections are gathered to rank 0, which converts them and the pool's
// objects to COCO's convention (xywh boxes, category = label + 1, truth ids 1.. in pool order)
// and evaluates once with detect::evaluate. Includes torch.
#include <filesystem>

#include "comm/communicator.hpp"
#include "model/loaded_model.hpp"
#include "train/trainer.hpp"

namespace quarry::train {

// Collective; the result is rank 0's (the others get an empty one). InputError for a pool
// without objects.
DetectionEvalResult evaluate_detector(const comm::Communicator& world,
                                      const std::filesystem::path& pool, model::LoadedModel& model,
                                      std::int64_t batch = 64);

// The model a detection pool's evaluation and training load: the detection contract for the
// pool's classes and keypoints.
model::LoadedModel load_detector(const std::filesystem::path& model,
                                 const std::filesystem::path& pool);

}  // namespace quarry::train

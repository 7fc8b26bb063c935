#pragma once
// Evaluation of a loaded model on a labeled pool, every rank its chunk-aligned shard; the counts
// are summed across ranks, so the result is the same for any rank count.
#include <filesystem>

#include "comm/communicator.hpp"
#include "model/loaded_model.hpp"
#include "train/trainer.hpp"

namespace quarry::train {

// Collective. InputError when the pool has no labels (or none known).
EvalResult evaluate_loaded(const comm::Communicator& world, const std::filesystem::path& pool,
                           model::LoadedModel& model, std::int64_t batch = 256);

}  // namespace quarry::train

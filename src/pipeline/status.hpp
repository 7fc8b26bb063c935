#pragma once
// `quarry status`: every round's stages, whether each is done (its manifest), the Slurm job
// that runs or ran it and that job's state (squeue/sacct when Slurm is here).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "pipeline/workspace.hpp"

namespace quarry::pipeline {

// The report as text. Serial; InputError when the path is not a workspace.
std::string workspace_status(const std::filesystem::path& workspace);

// How close the workspace is to the stopping criterion (the rounds' stop.json records), or
// nothing when no round recorded a kappa (the criterion is off, or fewer than two rounds scored).
std::optional<std::string> stopping_line(const Workspace& workspace);

// A trained model's evaluation as the train manifest records it (setting "eval"), in one line:
// "accuracy 0.9120 on 500 items" for a classifier, "AP@.5 0.912, AP 0.601, OKS-AP 0.550 on 500
// items" for a detector (OKS-AP on keypoint pools).
std::string eval_line(const nlohmann::json& eval);

}  // namespace quarry::pipeline

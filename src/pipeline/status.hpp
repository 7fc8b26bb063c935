#pragma once
// `quarry status`: every round's stages, whether each is done (its manifest), the Slurm job
// that runs or ran it and that job's state (squeue/sacct when Slurm is here).
#include <filesystem>
#include <string>

namespace quarry::pipeline {

// The report as text. Serial; InputError when the path is not a workspace.
std::string workspace_status(const std::filesystem::path& workspace);

}  // namespace quarry::pipeline

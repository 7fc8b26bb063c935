#pragma once
// The workspace settings whose right value depends on the pool's task. The table of keys
// (workspace_config.cpp) holds the classifier's defaults; a detection or keypoint pool needs a
// detector (centernet-small), a detection score to select by, and the detector's own batch sizes
// and learning rate. quarry init applies these before any template or option, so a template or
// --set still wins; quarry simulate builds its settings from default_config(task).
#include <string>
#include <utility>
#include <vector>

#include "files/pool/objects.hpp"
#include "pipeline/workspace_config.hpp"

namespace quarry::pipeline {

// key, value: the settings that differ from the table's defaults for `task` (none for classify).
const std::vector<std::pair<std::string, std::string>>& task_defaults(pool::Task task);

// Sets `task` and the task's defaults, each with origin "default for TASK pools".
void apply_task_defaults(WorkspaceConfig& config, pool::Task task);

// Every key at its default for a pool of `task`.
WorkspaceConfig default_config(pool::Task task);

}  // namespace quarry::pipeline

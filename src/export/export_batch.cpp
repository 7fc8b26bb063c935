#include "export/export_batch.hpp"

#include <algorithm>
#include <numeric>

namespace quarry::exporting {

std::string image_file_for(std::uint64_t id) {
  return "images/" + std::to_string(id) + ".png";
}

std::vector<std::size_t> all_tasks(const ExportBatch& batch) {
  std::vector<std::size_t> tasks(batch.tasks.size());
  std::iota(tasks.begin(), tasks.end(), std::size_t{0});
  return tasks;
}

std::vector<std::size_t> tasks_of_annotator(const ExportBatch& batch, std::uint32_t a) {
  std::vector<std::size_t> tasks;
  for (std::size_t i = 0; i < batch.tasks.size(); ++i) {
    const auto& assigned = batch.tasks[i].annotators;
    if (std::find(assigned.begin(), assigned.end(), a) != assigned.end()) tasks.push_back(i);
  }
  return tasks;
}

}  // namespace quarry::exporting

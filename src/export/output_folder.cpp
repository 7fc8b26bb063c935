#include "export/output_folder.hpp"

#include <algorithm>

#include "core/write_file.hpp"

namespace quarry::exporting {

namespace fs = std::filesystem;

OutputFolder::OutputFolder(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
}

void OutputFolder::write(const std::string& relative, std::span<const std::uint8_t> bytes) {
  const fs::path path = root_ / relative;
  {
    std::lock_guard lock(mutex_);
    const fs::path folder = path.parent_path();
    if (std::find(folders_.begin(), folders_.end(), folder) == folders_.end()) {
      fs::create_directories(folder);
      folders_.push_back(folder);
    }
    files_.push_back(relative);
  }
  write_file(path, bytes, Durability::page_cache);
}

void OutputFolder::write(const std::string& relative, std::string_view text) {
  write(relative, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::vector<std::string> OutputFolder::files() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> sorted = files_;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

}  // namespace quarry::exporting

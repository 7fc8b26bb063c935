#include "export/output_folder.hpp"

#include <algorithm>
#include <system_error>

#include "core/write_file.hpp"

namespace quarry::exporting {

namespace fs = std::filesystem;

OutputFolder::OutputFolder(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
}

fs::path OutputFolder::add(const std::string& relative) {
  const fs::path path = root_ / relative;
  std::lock_guard lock(mutex_);
  const fs::path folder = path.parent_path();
  if (std::find(folders_.begin(), folders_.end(), folder) == folders_.end()) {
    fs::create_directories(folder);
    folders_.push_back(folder);
  }
  files_.push_back(relative);
  return path;
}

void OutputFolder::write(const std::string& relative, std::span<const std::uint8_t> bytes) {
  write_file(add(relative), bytes, Durability::page_cache);
}

void OutputFolder::link(const std::string& existing, const std::string& relative) {
  const fs::path path = add(relative);
  {
    std::lock_guard lock(mutex_);
    links_[relative] = existing;
  }
  std::error_code error;
  fs::create_hard_link(root_ / existing, path, error);
  // FAT, some network and FUSE file systems have no hard links (EPERM, ENOTSUP, ...).
  if (error) fs::copy_file(root_ / existing, path, fs::copy_options::overwrite_existing);
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

std::map<std::string, std::string> OutputFolder::links() const {
  std::lock_guard lock(mutex_);
  return links_;
}

}  // namespace quarry::exporting

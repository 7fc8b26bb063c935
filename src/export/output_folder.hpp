#pragma once
// The export folder being filled (an AtomicOutput's temporary): writes files by their path
// relative to the folder and remembers each one, so the manifest can list every file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quarry::exporting {

class OutputFolder {
 public:
  explicit OutputFolder(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  // Writes `bytes` to root/relative, creating its folder. Safe to call from several threads.
  void write(const std::string& relative, std::span<const std::uint8_t> bytes);
  void write(const std::string& relative, std::string_view text);
  // Makes root/relative a second name of the file written as root/existing: a hard link (no
  // extra bytes on disk), or a copy where the file system has none.
  void link(const std::string& existing, const std::string& relative);
  // Every file written or linked so far, relative to the root, sorted.
  std::vector<std::string> files() const;
  // The files made by link(): second name -> the file it names again.
  std::map<std::string, std::string> links() const;

 private:
  // Records `relative` as written and creates its folder; returns its full path.
  std::filesystem::path add(const std::string& relative);

  std::filesystem::path root_;
  mutable std::mutex mutex_;
  std::vector<std::string> files_;
  std::map<std::string, std::string> links_;
  std::vector<std::filesystem::path> folders_;  // created already (guarded by mutex_)
};

}  // namespace quarry::exporting

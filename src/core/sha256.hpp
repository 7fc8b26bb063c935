#pragma once
// sha256 of a file, hex encoded: manifests and scores files record which inputs they came from.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace quarry {

std::string sha256_file(const std::filesystem::path& path);

// What stat(2) says of a file's identity and last change. Every write changes the size or the
// change time (ctime, which unlike mtime no system call can set back: a tool that restores the
// mtime after rewriting a file in place still moves the ctime), and a file replaced by another
// (a rename over its name) has another inode.
struct FileStamp {
  std::uint64_t device = 0, inode = 0, bytes = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// The stamp of the file `path` names now (links followed); nullopt when it cannot be stat'ed.
std::optional<FileStamp> stamp_of(const std::filesystem::path& path);

// A file held open for its sha256: the stamp is taken when it is opened, the digest may be read
// later and on another thread. Plain POSIX reads through the descriptor opened here (never HDF5,
// which is not thread-safe in quarry's build), so the digest is of the file that was stamped even
// when another file replaces it under the same name meanwhile.
class HashedFile {
 public:
  // InputError (exit 2) when the file cannot be opened or stat'ed.
  explicit HashedFile(const std::filesystem::path& path);
  ~HashedFile();
  HashedFile(const HashedFile&) = delete;
  HashedFile& operator=(const HashedFile&) = delete;

  const FileStamp& stamp() const { return stamp_; }
  // The file changed less than two seconds before it was stamped. A write in the same clock tick
  // as that change (file systems keep times in ticks of a few ms, some in whole seconds) can
  // leave size and times as they were, so for such a file an unchanged stamp proves nothing.
  bool changed_recently() const { return changed_recently_; }

  // Reads the whole file from its start. Returns an empty string when `cancel` became true before
  // the end; InputError when a read fails.
  std::string sha256(const std::atomic<bool>* cancel = nullptr) const;

 private:
  std::string name_;
  int fd_ = -1;
  FileStamp stamp_;
  bool changed_recently_ = false;
};

}  // namespace quarry

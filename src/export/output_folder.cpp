#include "export/output_folder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

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
  // Plain POSIX calls: exports write tens of thousands of small files, and streams add
  // buffering and locale work that costs more than the write itself.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot create " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      throw Error("cannot write " + path.string() + ": " + std::strerror(saved));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
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

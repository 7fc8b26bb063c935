#include "core/write_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/path_error.hpp"

namespace quarry {

void write_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                Durability durability) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_path_error("create", path, {errno, std::generic_category()});
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw_path_error("write", path, {error, std::generic_category()});
    }
    done += static_cast<std::size_t>(n);
  }
  if (durability == Durability::synced && ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    throw_path_error("fsync", path, {error, std::generic_category()});
  }
  if (::close(fd) != 0) throw_path_error("write", path, {errno, std::generic_category()});
}

}  // namespace quarry

#include "core/path_error.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"

namespace quarry {

namespace {
[[noreturn]] void throw_for(const std::string& message, const std::error_code& code) {
  if (user_can_fix(code))
    throw UsageError(message, "choose a path you can write to, or make this one writable");
  throw Error(message, code == std::errc::no_space_on_device ? "free space on that disk" : "");
}
}  // namespace

bool user_can_fix(const std::error_code& code) {
  if (code.category() != std::generic_category() && code.category() != std::system_category())
    return false;
  switch (code.value()) {
    case EACCES:
    case EPERM:
    case EROFS:
    case ENOENT:
    case ENOTDIR:
    case EISDIR:
    case EEXIST:
    case ENOTEMPTY:
    case ENAMETOOLONG:
    case ELOOP:
      return true;
    default:
      return false;
  }
}

void throw_path_error(const std::string& action, const std::filesystem::path& path,
                      const std::error_code& code) {
  throw_for(fmt::format("cannot {} {}: {}", action, path.string(), code.message()), code);
}

void require_writable_folder(const std::filesystem::path& folder) {
  std::error_code ignored;
  if (!std::filesystem::is_directory(folder, ignored)) return;
  // access() honours a read-only mount even for root, which permission bits do not stop.
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    throw_path_error("create files in", folder, {errno, std::generic_category()});
}

void require_writable_parent(const std::filesystem::path& output) {
  const auto parent = output.parent_path();
  require_writable_folder(parent.empty() ? std::filesystem::path(".") : parent);
}

void throw_path_error(const std::filesystem::filesystem_error& error) {
  // libstdc++ writes "filesystem error: cannot create directories: Read-only file system [P]".
  std::string message = error.what();
  const std::string prefix = "filesystem error: ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  throw_for(message, error.code());
}

}  // namespace quarry
